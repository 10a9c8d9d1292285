"""The WordPress connector (REST API wp/v2): the blogs' comments and the municipality's own
posts, and hiding (holding), trashing and answering comments. See doc.md."""

/* A "Kopiera" button for a readonly text (the house rules to paste on a platform). The
   button is hidden in the HTML and shown only here, so that without JavaScript the page is
   a textarea to select and copy by hand. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy-target]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.querySelector("[data-copy-status]");
    if (!source) {
      return;
    }
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    function copyBySelection() {
      source.focus();
      source.select();
      try {
        say(document.execCommand("copy") ? "Texten är kopierad." : "Markera texten och kopiera den.");
      } catch (error) {
        say("Markera texten och kopiera den.");
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(function () {
          say("Texten är kopierad.");
        }, copyBySelection);
      } else {
        copyBySelection();
      }
    });
  });
})();

/* Interactive layer (issue 8): a click on a number (a link to an evidence block "#ev-...") shows
   the block's words and sentences in a dialog. Inline, no network; without JavaScript the link
   simply jumps to the block. Highlight switches need no script (CSS :has()). */
(function () {
  "use strict";
  var dialog = document.getElementById("peek");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var title = document.getElementById("peek-title");
  var body = document.getElementById("peek-body");
  var link = document.getElementById("peek-link");
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var anchor = event.target.closest ? event.target.closest('a[href^="#ev-"]') : null;
    if (!anchor || dialog.contains(anchor)) {
      return;
    }
    var block = document.getElementById(anchor.getAttribute("href").slice(1));
    if (!block) {
      return;
    }
    event.preventDefault();
    var heading = block.querySelector("h3, h4");
    title.textContent = heading ? heading.textContent : anchor.textContent;
    body.textContent = "";
    Array.prototype.forEach.call(block.children, function (child) {
      if (child === heading || child.classList.contains("back")) {
        return;
      }
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (element) {
        element.removeAttribute("id");
      });
      body.appendChild(copy);
    });
    link.setAttribute("href", "#" + block.id);
    dialog.showModal();
  });
  link.addEventListener("click", function () {
    dialog.close();
  });
}());

/* "Expand all" and "Collapse all" for the plan tree. Without JavaScript the buttons stay
   hidden and every branch still folds on its own: each one is a <details> element. */
(function () {
  "use strict";

  function setUp(tools) {
    var tree = document.getElementById(tools.getAttribute("data-tree-tools"));
    if (!tree) {
      return;
    }
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-open]");
      if (!button) {
        return;
      }
      var open = button.getAttribute("data-open") === "true";
      tree.querySelectorAll("details").forEach(function (branch) {
        branch.open = open;
      });
    });
  }

  document.querySelectorAll("[data-tree-tools]").forEach(setUp);
})();

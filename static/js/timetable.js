// Timetable pages: the print button, and copying a calendar address.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print], [data-copy]");
  if (!target) return;
  if (target.hasAttribute("data-print")) {
    window.print();
    return;
  }
  var field = document.getElementById(target.getAttribute("data-copy"));
  if (!field) return;
  field.select();
  var done = function () {
    var status = document.getElementById(target.getAttribute("data-status"));
    if (status) status.textContent = target.getAttribute("data-done");
  };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(done, function () {});
  } else if (document.execCommand("copy")) {
    done();
  }
});

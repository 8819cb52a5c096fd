// The teacher's grade grid: keyboard moves, autosave of each cell, retries when the
// connection drops, and both values shown when a colleague changed the same grade.
(function () {
  "use strict";
  var grid = document.querySelector("[data-grid]");
  if (!grid) return;
  var texts = document.getElementById("grid-messages").dataset;
  var status = document.getElementById("grid-status");
  var token = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  if (csrf) token = csrf.value;

  function cell(row, col) {
    return grid.querySelector('input[data-row="' + row + '"][data-col="' + col + '"]');
  }
  function announce(message) { status.textContent = message; }
  function mark(input, state, message) {
    var td = input.parentNode;
    td.className = "grade-cell grade-cell--" + state;
    td.querySelector(".grade-cell__state").textContent = message || "";
    if (state === "error" || state === "conflict" || state === "offline") {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  function save(input, attempt) {
    var value = input.value.trim();
    if (!attempt && (value === input.dataset.saved || value === input.dataset.inflight)) return;
    input.dataset.inflight = value;
    mark(input, "saving");
    var body = new URLSearchParams({student: input.dataset.student, value: value, version: input.dataset.version});
    fetch(input.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"},
      body: body
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      var data = result.data;
      input.dataset.inflight = "";
      if (result.status === 200) {
        input.dataset.version = data.version;
        input.dataset.saved = input.value = data.value;
        mark(input, "saved");
        announce(texts.saved);
      } else if (result.status === 409) {
        showConflict(input, data);
      } else {
        mark(input, "error", data.error || data.detail || "");
        announce(data.error || data.detail || "");
      }
    }).catch(function () {
      input.dataset.inflight = "";
      // The connection dropped: the cell says it is not saved and tries again.
      mark(input, "offline", texts.offline);
      announce(texts.offline);
      var delay = Math.min(30000, 2000 * Math.pow(2, attempt || 0));
      setTimeout(function () { save(input, (attempt || 0) + 1); }, delay);
    });
  }

  function showConflict(input, data) {
    var td = input.parentNode;
    mark(input, "conflict", data.message);
    announce(data.message);
    var box = document.createElement("span");
    box.className = "grade-conflict";
    var keep = document.createElement("button");
    keep.type = "button"; keep.className = "button button--small"; keep.textContent = texts.keep;
    var take = document.createElement("button");
    take.type = "button"; take.className = "button button--small button--secondary"; take.textContent = texts.take;
    keep.addEventListener("click", function () {
      input.dataset.version = data.version; box.remove(); save(input, 1); input.focus();
    });
    take.addEventListener("click", function () {
      input.dataset.version = data.version; input.value = input.dataset.saved = data.theirs;
      box.remove(); mark(input, "saved"); input.focus();
    });
    box.appendChild(keep); box.appendChild(take);
    td.appendChild(box);
  }

  function atEnd(input) { return input.selectionStart === input.value.length; }
  function allSelected(input) { return input.selectionStart === 0 && input.selectionEnd === input.value.length; }

  grid.querySelectorAll("input[data-url]").forEach(function (input) {
    input.dataset.saved = input.value;
    // Leaving a changed cell saves it; Enter saves at once (the change event then finds it in flight).
    input.addEventListener("change", function () { save(input); });
    input.addEventListener("keydown", function (event) {
      var row = +input.dataset.row, col = +input.dataset.col, next = null;
      if (event.key === "ArrowDown" || event.key === "Enter") next = cell(row + 1, col);
      else if (event.key === "ArrowUp") next = cell(row - 1, col);
      else if (event.key === "ArrowRight" && (atEnd(input) || allSelected(input))) next = cell(row, col + 1);
      else if (event.key === "ArrowLeft" && (input.selectionEnd === 0 || allSelected(input))) next = cell(row, col - 1);
      if (event.key === "Enter") { event.preventDefault(); save(input); }
      if (next) { event.preventDefault(); next.focus(); next.select(); }
    });
    input.addEventListener("paste", function (event) {
      // A column pasted from a spreadsheet fills the cells downwards.
      var text = (event.clipboardData || window.clipboardData).getData("text");
      var values = text.replace(/\r/g, "").split("\n").filter(function (line, i, all) { return i < all.length - 1 || line; });
      if (values.length < 2) return;
      event.preventDefault();
      var row = +input.dataset.row, col = +input.dataset.col;
      values.forEach(function (value, offset) {
        var target = cell(row + offset, col);
        if (!target) return;
        target.value = value.split("\t")[0].trim();
        save(target);
      });
    });
  });
})();

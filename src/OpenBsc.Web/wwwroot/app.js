// Progressive enhancement only: every page works without this file.
document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=checkbox]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});

// "Download PNG": draw the map's SVG onto a canvas in the browser.
document.querySelectorAll("[data-png-from]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var svg = document.querySelector(button.getAttribute("data-png-from") + " svg");
    if (!svg) { return; }
    var box = svg.viewBox.baseVal, scale = 2;
    var width = (box && box.width) || svg.clientWidth, height = (box && box.height) || svg.clientHeight;
    var xml = new XMLSerializer().serializeToString(svg);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * scale; canvas.height = height * scale;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = button.getAttribute("data-file") || "strategy-map.png";
        document.body.appendChild(a); a.click(); a.remove();
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(xml);
  });
});

// Data-entry grid: spreadsheet keys (arrows, Enter), paste of a tab-separated block from the focused cell on,
// and a reason prompt when a value that was already stored changes. Without this file the form still saves.
document.querySelectorAll("table[data-entry]").forEach(function (table) {
  var body = table.tBodies[0];
  // A value as the organisation types it (data-decimal="comma": 1.234,5), as a number, like the server reads it.
  var comma = table.getAttribute("data-decimal") === "comma";
  function amount(text) {
    return Number(comma ? text.replace(/[.\s\u00a0]/g, "").replace(",", ".") : text);
  }
  function inputAt(r, c) {
    var row = body.rows[r], cell = row && row.cells[c];
    return cell ? cell.querySelector("input.v") : null;
  }
  function position(input) {
    var td = input.closest("td");
    return { r: td.parentElement.sectionRowIndex, c: td.cellIndex };
  }
  // Moves to the nearest editable cell in that direction (read-only rows and cells are skipped).
  function move(input, dr, dc) {
    var p = position(input), r = p.r + dr, c = p.c + dc;
    while (r >= 0 && r < body.rows.length && c >= 1 && c < body.rows[r].cells.length) {
      var next = inputAt(r, c);
      if (next) { next.focus(); next.select(); return true; }
      r += dr; c += dc;
    }
    return false;
  }
  function mark(input) {
    var td = input.closest("td"), was = input.getAttribute("data-was") || "", now = input.value.trim();
    input.classList.toggle("changed", now !== (input.defaultValue || "").trim());
    var reason = td.querySelector("label.reason");
    if (!reason) { return; }
    var field = reason.querySelector("input");
    var correction = was !== "" && now !== "" && amount(now) !== amount(was);
    reason.hidden = !correction && field.value === "";
    field.required = correction;
    if (correction) { td.querySelector("details").open = true; }
  }
  body.querySelectorAll("input.v").forEach(mark);
  table.addEventListener("input", function (e) {
    if (e.target.matches("input.v")) { mark(e.target); }
  });
  table.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!input.matches("input.v") || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var start = input.selectionStart, end = input.selectionEnd, length = input.value.length;
    var all = start === 0 && end === length;
    var moved = false;
    switch (e.key) {
      case "ArrowUp": moved = move(input, -1, 0); break;
      case "ArrowDown": moved = move(input, 1, 0); break;
      case "Enter": e.preventDefault(); move(input, e.shiftKey ? -1 : 1, 0); return;
      case "ArrowLeft": if (all || (start === 0 && end === 0)) { moved = move(input, 0, -1); } break;
      case "ArrowRight": if (all || (start === length && end === length)) { moved = move(input, 0, 1); } break;
      default: return;
    }
    if (moved) { e.preventDefault(); }
  });
  table.addEventListener("paste", function (e) {
    var input = e.target;
    if (!input.matches("input.v")) { return; }
    var text = (e.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text)) { return; }
    e.preventDefault();
    var p = position(input);
    text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n").forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var target = inputAt(p.r + i, p.c + j);
        if (target) { target.value = value.trim(); mark(target); }
      });
    });
  });
});

// Measure editor: show the fields of the chosen scoring type only (the server renders those of the saved type).
document.querySelectorAll("select[data-scoring-type]").forEach(function (select) {
  function apply() {
    var type = select.value || "linear";
    select.form.querySelectorAll("[data-for-types]").forEach(function (field) {
      field.hidden = field.getAttribute("data-for-types").split(" ").indexOf(type) < 0;
    });
  }
  select.addEventListener("change", apply);
});

// Measure editor: check the fields as the user types, with the scorecard file's rules; nothing is stored.
document.querySelectorAll("form[data-check]").forEach(function (form) {
  var timer = null, sequence = 0;
  function show(errors) {
    form.querySelectorAll(".field-error[data-for]").forEach(function (slot) {
      var field = slot.getAttribute("data-for");
      var messages = errors[field] || [];
      slot.textContent = messages.map(function (m) { return "✘ " + m; }).join(" ");
      var input = form.querySelector('[name="' + field + '"]');
      if (input) { if (messages.length) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); } }
    });
  }
  function check() {
    var mine = ++sequence;
    fetch(form.getAttribute("data-check"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) { if (result && mine === sequence) { show(result.errors || {}); form.setAttribute("data-checked", result.valid ? "valid" : "invalid"); } })
      .catch(function () { /* checking is a convenience: the save checks again */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 50); });
});

// Data entry: open on the current reporting period, the last column of the range (the grid scrolls inside itself).
document.querySelectorAll(".entry-wrap").forEach(function (wrap) { wrap.scrollLeft = wrap.scrollWidth; });

// A value chart wider than a phone scrolls inside its box: open it on the latest periods, as data entry does. Only
// value charts: an initiative timeline keeps its names, on its left, in sight.
document.querySelectorAll(".chart-wrap").forEach(function (wrap) {
  if (wrap.querySelector("svg.openbsc-measure-chart")) { wrap.scrollLeft = wrap.scrollWidth; }
});

// A strategy map wider than a phone scrolls inside its box: open it on its objectives, not on empty bands.
document.querySelectorAll(".map-wrap").forEach(function (wrap) {
  var objectives = wrap.querySelector("svg g.objectives");
  if (!objectives || wrap.scrollWidth <= wrap.clientWidth) { return; }
  var box = objectives.getBoundingClientRect(), frame = wrap.getBoundingClientRect();
  wrap.scrollLeft = Math.max(0, box.left - frame.left - 16);
});

// On a phone a wide table becomes one card per row, each cell on a line of its own: a cell without its column's
// name reads as a bare "never" or "12". Cells a page did not label take their column header's words.
document.querySelectorAll("main table.grid, main table:not([class])").forEach(function (table) {
  var head = table.tHead && table.tHead.rows[0];
  if (!head) { return; }
  var names = [];
  Array.prototype.forEach.call(head.cells, function (th) {
    for (var k = 0; k < th.colSpan; k++) { names.push(th.textContent.trim()); }
  });
  Array.prototype.forEach.call(table.tBodies, function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TD" && cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan;
      });
    });
  });
});

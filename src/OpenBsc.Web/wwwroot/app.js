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

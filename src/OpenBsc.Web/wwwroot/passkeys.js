// Passkeys (WebAuthn): adding one at /account/passkeys and signing in with one at /login. Each form first posts
// itself to ".../options" (antiforgery token included) for the options, asks the browser's navigator.credentials,
// then posts the answer as JSON in its hidden "credential" field. Without this file (or without passkey support)
// the sign-in choice stays hidden and adding one says what is missing.
(function () {
  function fromBase64Url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toBase64Url(buffer) {
    var bytes = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function describe(error) {
    if (/^\d+\.\d+\.\d+\.\d+$|^\[/.test(location.hostname)) {
      return "Passkeys need the site's name in the address, not a number: open it as localhost or by its host name.";
    }
    if (error && error.name === "NotAllowedError") {
      return "No passkey was used (the request was cancelled or timed out). Try again when you are ready.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This device already holds a passkey for your account here.";
    }
    return "The passkey did not work: " + (error && error.message ? error.message : "try again.");
  }

  async function options(form, url) {
    var response = await fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    var body = await response.json();
    if (!response.ok) { throw { name: "Refused", message: body.problem || "the server refused." }; }
    return body;
  }

  function show(form, message) {
    var place = form.querySelector("[data-passkey-problem]");
    place.textContent = message;
    place.hidden = false;
  }

  var add = document.querySelector("form[data-passkey-add]");
  if (add) {
    add.addEventListener("submit", async function (event) {
      if (!window.PublicKeyCredential || add.credential.value) { return; }
      event.preventDefault();
      try {
        var o = await options(add, "/account/passkeys/options");
        o.challenge = fromBase64Url(o.challenge);
        o.user.id = fromBase64Url(o.user.id);
        (o.excludeCredentials || []).forEach(function (c) { c.id = fromBase64Url(c.id); });
        var made = await navigator.credentials.create({ publicKey: o });
        add.credential.value = JSON.stringify({
          id: made.id,
          rawId: toBase64Url(made.rawId),
          type: made.type,
          response: {
            attestationObject: toBase64Url(made.response.attestationObject),
            clientDataJSON: toBase64Url(made.response.clientDataJSON),
            transports: made.response.getTransports ? made.response.getTransports() : []
          },
          clientExtensionResults: made.getClientExtensionResults()
        });
        add.submit();
      } catch (error) {
        show(add, error.name === "Refused" ? error.message : describe(error));
      }
    });
  }

  var signIn = document.querySelector("form[data-passkey-sign-in]");
  if (signIn && window.PublicKeyCredential) {
    signIn.hidden = false;
    signIn.querySelector("button").addEventListener("click", async function () {
      try {
        var o = await options(signIn, "/account/passkeys/sign-in/options");
        o.challenge = fromBase64Url(o.challenge);
        (o.allowCredentials || []).forEach(function (c) { c.id = fromBase64Url(c.id); });
        var used = await navigator.credentials.get({ publicKey: o });
        signIn.credential.value = JSON.stringify({
          id: used.id,
          rawId: toBase64Url(used.rawId),
          type: used.type,
          response: {
            authenticatorData: toBase64Url(used.response.authenticatorData),
            clientDataJSON: toBase64Url(used.response.clientDataJSON),
            signature: toBase64Url(used.response.signature),
            userHandle: used.response.userHandle ? toBase64Url(used.response.userHandle) : null
          },
          clientExtensionResults: used.getClientExtensionResults()
        });
        signIn.submit();
      } catch (error) {
        show(signIn, error.name === "Refused" ? error.message : describe(error));
      }
    });
  }
})();

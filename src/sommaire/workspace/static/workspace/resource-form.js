// The resource form: check the address as soon as it is typed, without leaving
// the page. Without this script, the "Vérifier l’adresse" button does the same
// through the server and the page comes back with the result.
(function () {
  "use strict";
  const form = document.querySelector("form[data-address-check]");
  const input = form && form.querySelector("#id_url");
  const button = form && form.querySelector("#verifier-adresse");
  const output = document.getElementById("verification-adresse");
  if (!form || !input || !button || !output) {
    return;
  }
  // Without this script the button submits the form (and is the one Enter
  // presses); with it, it only checks, so Enter in a field saves again.
  button.type = "button";
  let checked = "";
  let pending = null;

  // Fill only what the editor left empty: a choice made by hand is kept.
  function fillGuesses(found) {
    for (const name of ["kind", "format", "profile", "wave", "version"]) {
      const value = found.dataset[name];
      const field = form.querySelector("#id_" + name);
      if (value && field && !field.value) {
        field.value = value;
      }
    }
  }

  async function check() {
    const address = input.value.trim();
    if (!address || address === checked) {
      return;
    }
    checked = address;
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    output.setAttribute("aria-busy", "true");
    output.textContent = "Vérification de l’adresse en cours…";
    const body = new FormData();
    body.append("url", address);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    try {
      const response = await fetch(form.dataset.addressCheck, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        signal: pending.signal,
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      output.innerHTML = await response.text();
      const found = output.querySelector("#adresse-verifiee");
      if (found) {
        fillGuesses(found);
      }
    } catch (error) {
      if (error.name === "AbortError") {
        return;
      }
      checked = "";
      output.textContent = "La vérification n’a pas abouti. Réessayez avec le bouton « Vérifier l’adresse ».";
    } finally {
      output.removeAttribute("aria-busy");
    }
  }

  input.addEventListener("change", check);
  // A pasted address is complete: check it without waiting for the field to be left.
  input.addEventListener("paste", function () {
    setTimeout(check, 0);
  });
  button.addEventListener("click", function () {
    checked = "";
    check();
  });
})();

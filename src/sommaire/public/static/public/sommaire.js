// The few behaviours the DSFR's own script does not give. Every page works
// without this file; it only adds what needs JavaScript.

// "Copier le lien": buttons with data-sommaire-copy (a path of this site),
// shown only where the browser lets a page write to the clipboard.
for (const button of document.querySelectorAll("[data-sommaire-copy]")) {
  if (!navigator.clipboard) continue;
  const status = document.getElementById(button.getAttribute("aria-describedby"));
  button.hidden = false;
  button.addEventListener("click", async () => {
    const address = new URL(button.dataset.sommaireCopy, window.location.href).href;
    try {
      await navigator.clipboard.writeText(address);
      status.textContent = "Lien copié : " + address;
    } catch (error) {
      status.textContent = "Copie impossible : sélectionnez l’adresse " + address;
    }
  });
}

// The "Menu" skip link: on a small screen the main navigation sits in the
// closed menu dialog, where nothing can take the focus. Open the dialog, then
// move the focus to its first link instead of leaving it on <body>.
const menuLink = document.querySelector('.fr-skiplinks a[href="#navigation-principale"]');
const menuButton = document.getElementById("bouton-menu");
if (menuLink && menuButton) {
  menuLink.addEventListener("click", (event) => {
    const navigation = document.getElementById("navigation-principale");
    const first = navigation && navigation.querySelector("a");
    if (!first) return;
    event.preventDefault();
    first.focus();
    if (document.activeElement === first) return;
    // Hidden in the closed dialog: open it, and focus once it is shown.
    menuButton.click();
    const start = Date.now();
    const focusWhenShown = () => {
      first.focus();
      if (document.activeElement !== first && Date.now() - start < 1000) {
        window.requestAnimationFrame(focusWhenShown);
      }
    };
    window.requestAnimationFrame(focusWhenShown);
  });
}

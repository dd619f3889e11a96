// "Copier le lien": without JavaScript the link stays in its read-only field,
// to select and copy by hand; with it, the button copies and says so.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!field || !status || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Lien copié dans le presse-papiers.";
    } catch {
      field.select();
      status.textContent = "Copie impossible : le lien est sélectionné, copiez-le avec Ctrl+C.";
    }
  });
}

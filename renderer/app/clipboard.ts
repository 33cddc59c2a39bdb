// Copying text from a button. The asynchronous Clipboard API first; the desktop app refuses every
// permission request (main/electron/security.ts), clipboard writes included, so a selected,
// hidden textarea and execCommand('copy') — allowed within the click that asked — come next.

/** True once the text is on the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Refused or unavailable: the older way below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'clipboard-helper';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/**
 * How long an object URL outlives the click that downloads it: some browsers
 * read the blob after `click()` has returned.
 */
const REVOKE_AFTER_MS = 60_000;

/**
 * Saves a Blob as a file in the browser: an object URL and a temporary
 * `<a download>` clicked once.
 */
export function saveFile(file: { filename: string; blob: Blob }): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

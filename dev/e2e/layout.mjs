// Layout checks run in the page: what a user at a narrow width would see
// broken. Each returns a list of problems, empty when the page is fine.

/**
 * The page scrolls sideways, a word in a table cell does not fit its cell
 * (the cell wraps it mid-letter or clips it), or a short label is clipped
 * (an element hides overflowing text without saying so with a title).
 */
export function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      problems.push(
        `the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`,
      );
    }
    const context = document.createElement('canvas').getContext('2d');
    // Which table a cell is in: the card's or dialog's heading.
    const where = cell => {
      const box = cell.closest(
        '[role="dialog"], .MuiCard-root, .MuiPaper-root',
      );
      const heading = box?.querySelector('h1, h2, h3, h4, h5, h6');
      return heading
        ? ` (in "${heading.textContent.trim().slice(0, 40)}")`
        : '';
    };
    const visible = element =>
      element.getClientRects().length > 0 &&
      getComputedStyle(element).visibility !== 'hidden';
    for (const cell of document.querySelectorAll('td, th')) {
      if (!visible(cell)) continue;
      const style = getComputedStyle(cell);
      const room =
        cell.clientWidth -
        parseFloat(style.paddingLeft) -
        parseFloat(style.paddingRight);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !visible(parent) || parent.closest('[title]')) continue;
        // Text kept for screen readers only (a 1 px box) is not laid out.
        if (parent.getBoundingClientRect().width <= 1) continue;
        const font = getComputedStyle(parent);
        context.font = `${font.fontStyle} ${font.fontWeight} ${font.fontSize} ${font.fontFamily}`;
        const word = node.textContent
          .split(/\s+/)
          .filter(w => w.length <= 30)
          .sort(
            (a, b) =>
              context.measureText(b).width - context.measureText(a).width,
          )[0];
        if (word && context.measureText(word).width > room + 1) {
          problems.push(
            `"${word}" is ${Math.round(
              context.measureText(word).width,
            )}px in a ${Math.round(room)}px cell${where(cell)}`,
          );
        }
      }
    }
    // A label cut off by a box that hides what overflows it (a card, a
    // chip), unless it says so with a title. Boxes that scroll are fine.
    const clipper = element => {
      for (let box = element.parentElement; box; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') return undefined;
        if (overflow === 'hidden' || overflow === 'clip') return box;
      }
      return undefined;
    };
    for (const element of document.querySelectorAll('body *')) {
      if (
        element.children.length > 0 ||
        !element.textContent.trim() ||
        element.closest('[title]') ||
        !visible(element)
      ) {
        continue;
      }
      // Text kept for screen readers only (a 1 px clipped box) is meant so.
      if (element.getBoundingClientRect().width <= 1) continue;
      const own = getComputedStyle(element);
      const cut =
        own.overflowX === 'hidden' &&
        element.scrollWidth > element.clientWidth + 1;
      const box = clipper(element);
      const spills =
        box &&
        element.getBoundingClientRect().right >
          box.getBoundingClientRect().right + 1;
      if (cut || spills) {
        problems.push(
          `"${element.textContent.trim().slice(0, 40)}" is clipped`,
        );
      }
    }
    return [...new Set(problems)];
  });
}

// Runs axe-core (the accessibility engine, from npm) in the page and returns
// the serious and critical violations, each with the elements it found.
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export async function accessibilityViolations(page, { exclude = [] } = {}) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(
    async excluded =>
      (
        await window.axe.run(
          { exclude: excluded.map(selector => [selector]) },
          { resultTypes: ['violations'] },
        )
      ).violations,
    exclude,
  );
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}; ${v.nodes
          .slice(0, 3)
          .map(n => n.target.join(' '))
          .join(' | ')}`,
    );
}

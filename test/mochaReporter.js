// Mocha's spec reporter plus one plain closing line ("unit: N passed, N failed, N skipped") that CI logs and
// people can grep, whatever the runner's own summary looks like.
const Mocha = require('mocha');

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const label = process.env.DC_SUITE || 'mocha';
    runner.once('end', () => {
      const s = runner.stats;
      process.stdout.write(`${label}: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SpecWithTotals;

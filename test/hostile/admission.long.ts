// Hostile admission input, long form (`npm run test:long`): 20,000 bodies at full size (1 MB
// annotations, nesting 100,000 deep, templates of 100,000 actions), same checks as the short form.
process.env['HOSTILE_SCALE'] = 'long';
process.env['HOSTILE_COUNT'] ??= '20000';
await import('./admission.test.ts');

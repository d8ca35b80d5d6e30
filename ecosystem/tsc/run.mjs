// tsc --strict with no skipLibCheck over the packed .d.ts, in each resolution mode crossed
// with each environment a consumer's tsconfig may give (DOM or not, @types/node or not, a lib
// without esnext.disposable); then the types' value exports against the run-time exports.
import ts from 'typescript';
import { EXPORTS } from '../smoke.mjs';

const MODES = {
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['usage.ts'] },
  node16: { module: 'node16', moduleResolution: 'node16', files: ['usage.mts', 'usage.cts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['usage.mts', 'usage.cts'] },
};
const ENVIRONMENTS = {
  'default lib': {},
  dom: { lib: ['es2022', 'dom'], types: [] },
  '@types/node': { lib: ['es2022'], types: ['node'] },
  'dom + @types/node': { lib: ['es2022', 'dom'], types: ['node'] },
  'esnext + dom': { lib: ['esnext', 'dom'], types: [] },
  'Workers types': { lib: ['es2022'], types: ['@cloudflare/workers-types'] },
};

// In one process, each program built from the last (a source file both read is parsed once).
const host = ts.createCompilerHost({});
let program;
let runs = 0;
for (const [mode, { files, ...options }] of Object.entries(MODES)) {
  for (const [environment, env] of Object.entries(ENVIRONMENTS)) {
    const json = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', types: [], ...options, ...env };
    const { options: compilerOptions, errors } = ts.convertCompilerOptionsFromJson(json, '.');
    if (errors.length) throw new Error(ts.flattenDiagnosticMessageText(errors[0].messageText, '\n'));
    program = ts.createProgram({ rootNames: files, options: compilerOptions, host, oldProgram: program });
    const [first] = ts.getPreEmitDiagnostics(program);
    if (first) {
      const where = first.file ? `${first.file.fileName}(${first.file.getLineAndCharacterOfPosition(first.start).line + 1}): ` : '';
      throw new Error(`tsc ${mode}, ${environment}: ${where}error TS${first.code}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`);
    }
    runs++;
  }
}

// The value exports each .d.ts declares, against what every entry exports (smoke.mjs's EXPORTS).
for (const file of ['index.d.ts', 'index.d.cts']) {
  const path = `node_modules/ticketwire/${file}`;
  const program = ts.createProgram([path], { strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path)));
  const values = exported.filter((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    // `export type { X }` of a class keeps the class's flags: only a value alias that is not type-only counts.
    const typeOnly = symbol.declarations?.some((d) => ts.isTypeOnlyExportDeclaration?.(d) || d.isTypeOnly || d.parent?.parent?.isTypeOnly);
    return (target.flags & ts.SymbolFlags.Value) !== 0 && !typeOnly;
  }).map((symbol) => symbol.name).sort();
  if (JSON.stringify(values) !== JSON.stringify(EXPORTS)) throw new Error(`${file} exports the values ${values}, the entries ${EXPORTS}`);
}
console.log(`tsc ${ts.version} --strict, no skipLibCheck: ${runs} configurations (${Object.keys(MODES).join(', ')} × ${Object.keys(ENVIRONMENTS).length} libs) compile; the .d.ts value exports are the run-time exports`);

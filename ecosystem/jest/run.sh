# Jest runs CommonJS: the shared check's CommonJS twin, made here from smoke.mjs.
set -eo pipefail
sed -e 's/^export //' ../smoke.mjs > smoke.cjs
echo 'module.exports = { smoke, EXPORTS };' >> smoke.cjs
jest --ci 2>&1 | tee jest.txt
echo "jest $(jest --version): $(grep -m1 '^Tests:' jest.txt | tr -s ' ') (plain jsdom: load, validate, prepare, typed errors; jest-fixed-jsdom: the smoke check)"

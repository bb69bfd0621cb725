export { PolicyTestFileSchema, PolicyTestCaseSchema } from './policy-test-file.js';
export type { PolicyTestFile, PolicyTestCase } from './policy-test-file.js';
export { runPolicyTests, reachableUnmetCodes } from './run-policy-tests.js';
export type { PolicyTestReport, PolicyTestResult, PolicyTestDiff } from './run-policy-tests.js';
export { loadPolicyTestFile } from './load-policy-test-file.js';
export type { PolicyTestFileLoadResult, LoadPolicyTestFileOptions } from './load-policy-test-file.js';

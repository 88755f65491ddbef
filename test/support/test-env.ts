/**
 * The environment the test run was started with (DATABASE_URL, REDIS_URL set by .ci/run when
 * the services answer). Tests pass explicit environments to the app; this is the only place
 * that looks at the real one.
 */
export const testEnv: Readonly<Record<string, string | undefined>> = Object.freeze({ ...process.env });

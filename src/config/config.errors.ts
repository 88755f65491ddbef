export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown by a section builder for a rule that spans variables (e.g. production needs a key). */
export class ConfigRuleError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

/** Boot stops with this: one line per bad variable, never the value (it may be a secret). */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(['Invalid configuration:', ...problems.map((p) => `  - ${p.variable}: ${p.reason}`)].join('\n'));
    this.name = 'ConfigValidationError';
  }
}

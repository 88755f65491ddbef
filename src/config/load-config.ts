import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { CONFIG_SECTIONS, type ConfigSection } from './config-sections';
import { type ConfigProblem, ConfigRuleError, ConfigValidationError } from './config.errors';

export type Environment = Record<string, string | undefined>;

/** The only place that reads the process environment. */
export function readProcessEnv(): Environment {
  return { ...process.env };
}

function declaredVariables(cls: ConfigSection<object>['env']): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates every variable of every section and builds the typed configuration.
 * Empty strings count as unset. All problems are reported at once.
 */
export function loadConfig(environment: Environment = readProcessEnv()): AppConfig {
  const problems: ConfigProblem[] = [];
  const config = new AppConfig();

  for (const section of CONFIG_SECTIONS) {
    const plain: Record<string, string> = {};
    for (const name of declaredVariables(section.env)) {
      const raw = environment[name];
      if (raw !== undefined && raw.trim() !== '') plain[name] = raw.trim();
    }
    const env = plainToInstance(section.env, plain, { exposeDefaultValues: true });
    const errors = validateSync(env, { forbidUnknownValues: true });
    if (errors.length > 0) {
      for (const error of errors) {
        const reasons = Object.values(error.constraints ?? {}).map((m) => m.replace(`${error.property} `, ''));
        problems.push({ variable: error.property, reason: reasons.reverse().join('; ') });
      }
      continue;
    }
    try {
      Object.assign(config, section.build(env));
    } catch (error) {
      if (!(error instanceof ConfigRuleError)) throw error;
      problems.push({ variable: error.variable, reason: error.reason });
    }
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return deepFreeze(config);
}

// Templates as the agent runs them: loaded and compiled once, executed in discovery passes against
// the tracking source, written atomically, their command run when the file changed.
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { TemplateSettings } from '../config/settings.ts';
import { fileErrorReason } from '../config/load.ts';
import { agentError, type AgentError } from '../errors.ts';
import { writeFileAtomic } from '../files/atomic.ts';
import { encodeGoString } from '../template/index.ts';
import type { DiscoveryTemplate, PassResult } from '../secrets/discovery.ts';
import type { TrackingSource } from '../secrets/source.ts';
import { runCommand } from './command.ts';
import { EngineError, type CompiledTemplate, type TemplateEngine } from './engine.ts';

export interface LoadedTemplate {
  settings: TemplateSettings;
  compiled: CompiledTemplate;
  /** Request keys of the last complete render. */
  dependencies: Set<string>;
  rendered: boolean;
}

export async function loadTemplates(templates: ReadonlyArray<TemplateSettings>, engine: TemplateEngine): Promise<LoadedTemplate[]> {
  const loaded: LoadedTemplate[] = [];
  for (const settings of templates) {
    let text = settings.contents ?? '';
    if (settings.source !== undefined) {
      try {
        text = await readFile(settings.source, 'utf8');
      } catch (error) {
        throw agentError('AGENT_TEMPLATE_SOURCE', { template: settings.name, source: settings.source, reason: fileErrorReason(error) });
      }
    }
    let compiled: CompiledTemplate;
    try {
      compiled = engine.compile(text, {
        destination: settings.destination,
        leftDelimiter: settings.leftDelimiter,
        rightDelimiter: settings.rightDelimiter,
        errorOnMissingKey: settings.errorOnMissingKey,
        functionDenylist: settings.functionDenylist,
      });
    } catch (error) {
      throw agentError('AGENT_TEMPLATE_PARSE', { template: settings.name, reason: error instanceof EngineError ? error.message : 'cannot parse' });
    }
    loaded.push({ settings, compiled, dependencies: new Set(), rendered: false });
  }
  return loaded;
}

/** The template as the discovery loop sees it: one pass = begin tracking, execute, end tracking. */
export function discoveryTemplate(template: LoadedTemplate, source: TrackingSource): DiscoveryTemplate {
  return {
    id: template.settings.index,
    execute(): PassResult {
      source.begin();
      try {
        const output = template.compiled.execute();
        return { output, ...source.end() };
      } catch (error) {
        return { error, ...source.end() };
      }
    },
  };
}

/** Writes one template's output; `written` is false when the file already held it. */
export async function writeRendered(template: LoadedTemplate, output: string, logger: Logger): Promise<{ failure: AgentError } | { written: boolean }> {
  const { settings } = template;
  // Go's bytes, not UTF-8 of the JS string: a template may emit binary data (base64Decode of a keystore).
  const bytes = encodeGoString(output);
  let written: boolean;
  try {
    ({ written } = await writeFileAtomic(settings.destination, bytes, { mode: settings.perms, fallbackMode: 0o644, createDirs: settings.createDestDirs }));
  } catch (error) {
    return { failure: agentError('AGENT_FILE_WRITE', { destination: settings.destination, reason: fileErrorReason(error) }, { retryable: true }) };
  }
  template.rendered = true;
  if (!written) logger.debug({ destination: settings.destination }, 'rendered; file unchanged');
  else logger.info({ destination: settings.destination, bytes: bytes.length }, 'rendered template');
  return { written };
}

/** Runs a template's command after its file changed, and logs how it ended; never fails the agent. */
export async function runTemplateCommand(template: LoadedTemplate, logger: Logger, env: NodeJS.ProcessEnv): Promise<void> {
  const { settings } = template;
  if (settings.command === undefined) return;
  const result = await runCommand(settings.command, settings.commandTimeoutMs, env);
  const fields = { destination: settings.destination, exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, output: result.outputHead };
  if (result.startError !== undefined) logger.error({ destination: settings.destination, reason: result.startError }, 'template command could not start');
  else if (result.exitCode === 0) logger.info(fields, 'template command succeeded');
  else logger.error(fields, result.timedOut ? `template command timed out after ${settings.commandTimeoutMs} ms` : 'template command failed');
}

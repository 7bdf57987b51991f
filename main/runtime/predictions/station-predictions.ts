/**
 * Predictions as the station runs them: the registry's packages, the running service,
 * and what the registry view shows (versions with their cards and errors, the version
 * running, its statistics, the last failed activation).
 */
import type { ModelInfoDto } from '../../../preload/contract.js';
import type { Logger } from '../logging/logger.js';
import { ModelRegistry, type PackageEntry } from './model-registry.js';
import { importModelPackage, type ImportFiles, type ImportResult } from './model-import.js';
import { outputTag, PredictionService } from './prediction-service.js';
import type { WarningConfirmation } from './warning-confirmation.js';

export class StationPredictions {
  private entries: PackageEntry[] = [];
  private readonly loadErrors = new Map<string, string>();

  constructor(
    readonly registry: ModelRegistry,
    readonly service: PredictionService,
    private readonly log: Logger,
    /**
     * Predictive alarms a model raised in the last 24 h (from the alarm journal), and how many
     * of them a conventional alarm in the same area confirmed within the lead horizon.
     */
    private readonly warningsOf?: (model: string) => number | WarningConfirmation,
  ) {}

  /** Load every model: the chosen version, or the next that works. Never throws. */
  async start(): Promise<void> {
    this.entries = this.registry.scan();
    for (const e of this.entries)
      if (e.error) this.log.warn({ file: e.manifestFile, error: e.error }, 'model package refused');
    for (const name of this.registry.names(this.entries)) await this.startModel(name);
  }

  private async startModel(name: string): Promise<void> {
    for (const candidate of this.registry.candidates(name, this.entries)) {
      try {
        await this.service.activate(candidate.pkg!);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.loadErrors.set(name, message);
        this.log.error(
          { model: name, version: candidate.version, error: message },
          'model did not load; trying the next version',
        );
      }
    }
  }

  /** Run `version` of `name`; on failure the running version stays and the error is thrown. */
  async activate(name: string, version: string): Promise<ModelInfoDto> {
    this.entries = this.registry.scan();
    const entry = this.entries.find((e) => e.name === name && e.version === version);
    if (!entry)
      throw new Error(
        `no package ${name} ${version} (versions: ${
          this.entries
            .filter((e) => e.name === name)
            .map((e) => e.version)
            .join(', ') || 'none'
        })`,
      );
    if (!entry.pkg) throw new Error(entry.error ?? `${name} ${version} is not valid`);
    try {
      await this.service.activate(entry.pkg);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.loadErrors.set(name, message);
      throw err;
    }
    this.loadErrors.delete(name);
    this.registry.setActive(name, version);
    return this.info(name)!;
  }

  /**
   * Check a package from the console as at load and store it as a new version; what runs
   * does not change (the new version is listed, valid and not running, until activated).
   * Throws ModelPackageError with the validation message when the package is refused.
   */
  async importPackage(files: ImportFiles): Promise<ImportResult & { model: ModelInfoDto }> {
    const running = (name: string) =>
      this.service.models().find((m) => m.manifest.name === name)?.manifest.version ?? null;
    const result = await importModelPackage(this.registry, files, running);
    this.entries = this.registry.scan();
    this.log.info({ model: result.name, version: result.version, dir: result.dir }, 'model package imported');
    return { ...result, model: this.info(result.name)! };
  }

  async rescan(): Promise<ModelInfoDto[]> {
    this.entries = this.registry.scan();
    const running = new Set(this.service.models().map((m) => m.manifest.name));
    for (const name of this.registry.names(this.entries)) if (!running.has(name)) await this.startModel(name);
    return this.list();
  }

  list(): ModelInfoDto[] {
    const names = new Set([...this.entries.map((e) => e.name), ...this.service.models().map((m) => m.manifest.name)]);
    return [...names].sort().map((n) => this.info(n)!);
  }

  info(name: string): ModelInfoDto | undefined {
    const running = this.service.models().find((m) => m.manifest.name === name);
    const versions = this.entries.filter((e) => e.name === name);
    if (!running && versions.length === 0) return undefined;
    const m = running?.manifest ?? versions.find((v) => v.pkg)?.pkg?.manifest ?? null;
    return {
      name,
      kind: m?.kind ?? null,
      description: m?.description ?? null,
      activeVersion: running?.manifest.version ?? null,
      everyS: m?.schedule.everyS ?? null,
      inputs: m?.input.tags.map((t) => t.tag) ?? [],
      outputs:
        m?.output.values.map((o) => ({
          tag: outputTag(m, o),
          name: o.name,
          description: o.description,
          unit: o.unit,
          horizonMin: o.horizonMin ?? null,
          quantile: o.quantile ?? null,
          label: o.label ?? null,
        })) ?? [],
      versions: versions.map((v) => ({
        version: v.version,
        source: v.source,
        manifestFile: v.manifestFile,
        error: v.error,
        card: v.pkg?.manifest.card ?? null,
      })),
      stats: running?.stats ?? null,
      loadError: this.loadErrors.get(name) ?? null,
      forecastChecks: running ? this.service.forecastChecks(name) : [],
      ...this.warningFigures(name),
      contributions: running?.contributions ?? null,
    };
  }

  private warningFigures(name: string): { warnings24h?: number; warningsConfirmed24h?: number } {
    if (!this.warningsOf) return {};
    const w = this.warningsOf(name);
    return typeof w === 'number' ? { warnings24h: w } : { warnings24h: w.raised, warningsConfirmed24h: w.confirmed };
  }

  stop(): Promise<void> {
    return this.service.stop();
  }
}

export { PredictionService };

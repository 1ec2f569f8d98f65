// Identity entities: one per (auth mount accessor, alias name), created at first login, so that
// templated policies ({{identity.entity.aliases.<accessor>.metadata.*}}) resolve as in Vault.
import type { EntityAlias, EntityView } from './acl.ts';
import { hex, uuid } from './ids.ts';

export class EntityStore {
  private readonly byId = new Map<string, { id: string; name: string; aliases: EntityAlias[] }>();
  private readonly byAlias = new Map<string, string>();

  /** Finds or creates the entity for an alias, refreshing the alias metadata (as each login does). */
  upsert(mountAccessor: string, aliasName: string, metadata: Readonly<Record<string, string>>): EntityView {
    const key = `${mountAccessor}\u0000${aliasName}`;
    const existingId = this.byAlias.get(key);
    if (existingId !== undefined) {
      const entity = this.byId.get(existingId);
      const alias = entity?.aliases.find((item) => item.mountAccessor === mountAccessor && item.name === aliasName);
      if (entity !== undefined && alias !== undefined) {
        entity.aliases[entity.aliases.indexOf(alias)] = { ...alias, metadata: { ...metadata } };
        return entity;
      }
    }
    const entity = { id: uuid(), name: `entity_${hex(4)}`, aliases: [{ mountAccessor, id: uuid(), name: aliasName, metadata: { ...metadata } }] };
    this.byId.set(entity.id, entity);
    this.byAlias.set(key, entity.id);
    return entity;
  }

  get(id: string): EntityView | undefined {
    return id === '' ? undefined : this.byId.get(id);
  }
}

/**
 * Daily aggregates of the consent records, for the operator dashboard.
 *
 * Two tables, one row per combination that occurred:
 * - `consent_daily_actions`: day × action × region × language × revision → records
 * - `consent_daily_categories`: day × category × region × language × revision → granted, refused
 *
 * They are kept by statement-level triggers on `consent_records` (with transition tables),
 * so they change in the same transaction as the records, whoever writes them: the endpoint's
 * insert, a bulk `INSERT … SELECT`, an erasure or a retention `DELETE`. A statement touching
 * a million rows updates each aggregate row once, not once per record.
 * `consentkit_rebuild_aggregates()` recomputes both tables from the records (after a restore,
 * or when the triggers were disabled for a load); `ConsentStore.rebuildAggregates()` calls it.
 *
 * The day is the UTC date of the decision (`updatedAt`); a record without a region counts
 * under region '' (empty).
 */

/** The aggregate keys of a row of `consent_records` (or a transition table of it), as SQL. */
const KEYS = {
  day: `(updated_at AT TIME ZONE 'UTC')::date`,
  region: `coalesce(record->>'region', '')`,
  language: `record->>'language'`,
  revision: `record->>'revision'`,
};
const KEY_SELECT = `${KEYS.day} AS day, ${KEYS.region} AS region, ${KEYS.language} AS language, ${KEYS.revision} AS revision`;

/** Per action: `SELECT … count(*)` grouped over the rows of `source`. */
const actionCounts = (source: string) =>
  `SELECT ${KEY_SELECT}, action, count(*) AS records FROM ${source} GROUP BY 1, 2, 3, 4, 5`;

/** Per category: granted and refused counts grouped over the rows of `source`. */
const categoryCounts = (source: string) =>
  `SELECT ${KEY_SELECT}, state.key AS category,
          count(*) FILTER (WHERE state.value = 'true'::jsonb) AS granted,
          count(*) FILTER (WHERE state.value = 'false'::jsonb) AS refused
     FROM ${source}, jsonb_each(record->'categories') AS state GROUP BY 1, 2, 3, 4, 5`;

const ACTION_KEY = 'day, region, language, revision, action';
const CATEGORY_KEY = 'day, region, language, revision, category';
const matches = (key: string, left: string, right: string) =>
  key
    .split(', ')
    .map((column) => `${left}.${column} = ${right}.${column}`)
    .join(' AND ');

/**
 * Adds the rows of `source` to the aggregates. Ordered by key, so two transactions
 * upserting the same rows lock them in the same order and cannot deadlock.
 */
const addFrom = (source: string) => `
    INSERT INTO consent_daily_actions AS total (${ACTION_KEY}, records)
      SELECT * FROM (${actionCounts(source)}) AS counted ORDER BY ${ACTION_KEY}
      ON CONFLICT (${ACTION_KEY}) DO UPDATE SET records = total.records + excluded.records;
    INSERT INTO consent_daily_categories AS total (${CATEGORY_KEY}, granted, refused)
      SELECT * FROM (${categoryCounts(source)}) AS counted ORDER BY ${CATEGORY_KEY}
      ON CONFLICT (${CATEGORY_KEY}) DO UPDATE SET granted = total.granted + excluded.granted, refused = total.refused + excluded.refused;`;

/** Takes the rows of `source` off the aggregates, dropping rows that reach zero. */
const removeFrom = (source: string) => `
    UPDATE consent_daily_actions AS total SET records = total.records - counted.records
      FROM (${actionCounts(source)}) AS counted WHERE ${matches(ACTION_KEY, 'total', 'counted')};
    DELETE FROM consent_daily_actions AS total USING (SELECT DISTINCT ${KEY_SELECT}, action FROM ${source}) AS gone
      WHERE ${matches(ACTION_KEY, 'total', 'gone')} AND total.records <= 0;
    UPDATE consent_daily_categories AS total SET granted = total.granted - counted.granted, refused = total.refused - counted.refused
      FROM (${categoryCounts(source)}) AS counted WHERE ${matches(CATEGORY_KEY, 'total', 'counted')};
    DELETE FROM consent_daily_categories AS total
      USING (SELECT DISTINCT ${KEY_SELECT}, state.key AS category FROM ${source}, jsonb_object_keys(record->'categories') AS state(key)) AS gone
      WHERE ${matches(CATEGORY_KEY, 'total', 'gone')} AND total.granted + total.refused <= 0;`;

/**
 * The migration appended to `MIGRATIONS` (src/server/storage.ts): the tables, their
 * indexes, the trigger functions and the rebuild function, then a first rebuild from the
 * records already stored. Built from the constants above at load time: once shipped, those
 * must not change (append a new migration instead).
 */
export const AGGREGATES_MIGRATION = `
CREATE TABLE consent_daily_actions (
  day date NOT NULL, region text NOT NULL, language text NOT NULL, revision text NOT NULL, action text NOT NULL,
  records bigint NOT NULL,
  PRIMARY KEY (${ACTION_KEY})
);
CREATE TABLE consent_daily_categories (
  day date NOT NULL, region text NOT NULL, language text NOT NULL, revision text NOT NULL, category text NOT NULL,
  granted bigint NOT NULL, refused bigint NOT NULL,
  PRIMARY KEY (${CATEGORY_KEY})
);
CREATE INDEX consent_records_by_decision ON consent_records (updated_at, record_id);
CREATE FUNCTION consentkit_count_records() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN ${removeFrom('removed')}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${addFrom('added')}
    END IF;
    RETURN NULL;
  END
$$;
CREATE FUNCTION consentkit_forget_counts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM consent_daily_actions;
    DELETE FROM consent_daily_categories;
    RETURN NULL;
  END
$$;
CREATE FUNCTION consentkit_rebuild_aggregates() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    LOCK TABLE consent_records IN SHARE MODE;
    DELETE FROM consent_daily_actions;
    DELETE FROM consent_daily_categories;
    ${addFrom('consent_records')}
  END
$$;
CREATE TRIGGER consentkit_count_inserted AFTER INSERT ON consent_records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consentkit_count_records();
CREATE TRIGGER consentkit_count_deleted AFTER DELETE ON consent_records
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION consentkit_count_records();
CREATE TRIGGER consentkit_count_updated AFTER UPDATE ON consent_records
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consentkit_count_records();
CREATE TRIGGER consentkit_count_truncated AFTER TRUNCATE ON consent_records
  FOR EACH STATEMENT EXECUTE FUNCTION consentkit_forget_counts();
SELECT consentkit_rebuild_aggregates();`;

/**
 * Appended after AGGREGATES_MIGRATION: an index per filter column of the aggregates, so the
 * dashboard's filter values (src/server/admin/queries.ts) are read by walking each index
 * from value to value instead of grouping every aggregate row. Kept by PostgreSQL with the
 * tables, so they are right after inserts, deletes and rebuilds alike.
 */
export const FILTER_VALUES_MIGRATION = `
CREATE INDEX consent_daily_actions_by_region ON consent_daily_actions (region);
CREATE INDEX consent_daily_actions_by_language ON consent_daily_actions (language);
CREATE INDEX consent_daily_actions_by_revision ON consent_daily_actions (revision);
CREATE INDEX consent_daily_categories_by_category ON consent_daily_categories (category);`;

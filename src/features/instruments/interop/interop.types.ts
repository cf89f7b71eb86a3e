import type { InstrumentDefinition } from '../model/instrument.schema.js';

export const interopFormats = ['redcap', 'surveyjs', 'xlsform'] as const;
export type InteropFormat = (typeof interopFormats)[number];

/**
 * One thing an import could not carry over as it was: `unsupported` (dropped: e.g. a REDCap sql
 * field), `changed` (carried over differently: e.g. a slider became a rating), `info`.
 */
export interface ImportNote {
  severity: 'unsupported' | 'changed' | 'info';
  /** Where in the source file: a field name, a SurveyJS element path, an XLSForm row. */
  where: string;
  message: string;
}

/** What an import made: a draft-ready definition (not yet stored) and an honest report. */
export interface ImportResult {
  format: InteropFormat;
  definition: InstrumentDefinition;
  notes: ImportNote[];
  counts: { sections: number; items: number; skipped: number };
}

export interface ImportOptions {
  /** Id of the instrument to create. */
  id: string;
  /** Kind and audience of the new instrument (formats do not say). */
  kind?: InstrumentDefinition['kind'];
  audience?: InstrumentDefinition['audience'];
  /** Title when the file has none. */
  title?: string;
}

/** The file is not of the format asked for (or of any format, when detecting). */
export class InteropFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InteropFormatError';
  }
}

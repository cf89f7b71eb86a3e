import { Button, FileInput, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import type { InstrumentSummary } from '../../instruments/instruments.contract.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import { Block } from './components/Block.js';
import { ImportMappingForm } from './components/ImportMappingForm.js';
import { ImportProgressPanel } from './components/ImportProgressPanel.js';
import { SurveyOrgPage } from './components/SurveyOrgPage.js';
import { useImportJobQuery, useImportProgressQuery, useInspectImportMutation, useRunImportMutation } from './surveys.import.api.js';

/** Brings past survey results (one row per respondent) in as a closed administration. */
export function SurveyImportPage() {
  const { t } = useTranslation();
  return (
    <SurveyOrgPage title={t('surveyImport.title')} intro={t('surveyImport.intro')} notAllowed={t('surveyImport.notAllowed')} noInstruments={t('surveyImport.noInstruments')}>
      {(org, published) => <ImportFlow org={org} instruments={published} />}
    </SurveyOrgPage>
  );
}

/** Choose and read a file, match its columns, run the import and read the report. */
function ImportFlow({ org, instruments }: { org: OrgDetail; instruments: InstrumentSummary[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const inspect = useInspectImportMutation();
  const start = useRunImportMutation();
  const [instrumentId, setInstrumentId] = useState(instruments[0].id);
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const progress = useImportProgressQuery(jobId);
  const finished = !!progress.data && progress.data.status !== 'running';
  const job = useImportJobQuery(jobId, finished);
  const instrument = instruments.find((i) => i.id === instrumentId) ?? instruments[0];
  const imported = job.data?.status === 'done';

  const read = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setJobId(null);
    start.reset();
    inspect.mutate({ file, orgId: org.id, instrumentId: instrument.id, version: instrument.publishedVersion! });
  };
  const again = () => {
    setJobId(null);
    setFile(null);
    start.reset();
    inspect.reset();
  };

  return (
    <Stack gap="lg">
      {!imported && (
        <form onSubmit={read} noValidate>
          <Block title={t('surveyImport.step1')}>
            <NativeSelect
              label={t('surveyImport.instrument')}
              description={t('surveyImport.instrumentHelp')}
              value={instrument.id}
              onChange={(e) => setInstrumentId(e.currentTarget.value)}
              data={instruments.map((i) => ({ value: i.id, label: pick(i.title, lang) }))}
              error={fieldError(inspect.error, 'instrumentId') ?? fieldError(inspect.error, 'version')}
            />
            <FileInput
              label={t('surveyImport.file')}
              description={t('surveyImport.fileHelp')}
              accept=".csv,.gz,.txt,text/csv,application/gzip"
              value={file}
              onChange={setFile}
              clearable
              clearButtonProps={{ 'aria-label': t('surveyImport.clearFile') }}
              required
              error={fieldError(inspect.error, 'file')}
            />
            <ErrorAlert error={inspect.error && !isFieldError(inspect.error, ['file', 'instrumentId', 'version']) ? inspect.error : null} />
            <Group>
              <Button type="submit" disabled={!file} loading={inspect.isPending}>
                {t('surveyImport.read')}
              </Button>
            </Group>
            {inspect.isPending && <Text role="status">{t('surveyImport.reading')}</Text>}
          </Block>
        </form>
      )}
      {inspect.data && !imported && (
        <ImportMappingForm
          key={inspect.data.uploadId}
          inspection={inspect.data}
          instrumentTitle={pick(instrument.title, lang)}
          error={start.error}
          running={start.isPending || (!!jobId && !finished)}
          onRun={(body) => start.mutate(body, { onSuccess: (r) => setJobId(r.id) })}
        />
      )}
      {(start.isPending || jobId) && <ImportProgressPanel progress={progress.data} job={job.data} starting={start.isPending} />}
      {imported && (
        <Group>
          <Button variant="default" onClick={again}>
            {t('surveyImport.another')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

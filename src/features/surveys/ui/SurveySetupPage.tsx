import { Button, Checkbox, Group, Loader, NativeSelect, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { isFieldError } from '../../../client/forms.js';
import i18n from '../../../client/i18n.js';
import type { InstrumentSummary } from '../../instruments/instruments.contract.js';
import { allItems } from '../../instruments/model/item-types.js';
import { type LanguageCode, languageCodes, pick } from '../../instruments/model/text.js';
import { useVersionQuery } from '../../instruments/ui/instruments.api.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import type { CreateAdministrationBody } from '../surveys.contract.js';
import { Block } from './components/Block.js';
import { type SchoolChoice, SchoolPicker } from './components/SchoolPicker.js';
import { SurveyOrgPage } from './components/SurveyOrgPage.js';
import { errorUnder, focusFirstError } from './components/errors.js';
import { useCreateAdministrationMutation } from './surveys.api.js';
import { browserTimeZone, dayAt, timeZoneOptions } from './zonedTime.js';

type Consent = 'active' | 'passive';
type Texts = Partial<Record<LanguageCode, string>>;
/** Fields the form shows; an error on any other field goes to the alert above the button. */
const FIELDS = ['instrumentId', 'version', 'title', 'schoolIds', 'languages', 'opensAt', 'closesAt', 'timeZone', 'consent', 'notice', 'assent', 'demographics', 'openLink', 'accessCodes'];

/** Set up a survey administration for a school, or for some or all schools of an organisation. */
export function SurveySetupPage() {
  const { t } = useTranslation();
  return (
    <SurveyOrgPage title={t('surveys.setup.title')} notAllowed={t('surveys.setup.notAllowed')} noInstruments={t('surveys.setup.noInstruments')}>
      {(org, published) => <SetupForm org={org} instruments={published} />}
    </SurveyOrgPage>
  );
}

/** The texts respondents see before starting, in their language, until the coordinator changes them. */
function defaultText(kind: 'notice' | 'assent', lang: LanguageCode, audience: string, consent: Consent): string {
  const fixed = i18n.getFixedT(lang);
  const who = audience === 'student' ? 'student' : 'adult';
  return kind === 'notice' ? fixed(`surveys.defaults.notice.${who}.${consent}`) : fixed(`surveys.defaults.assent.${who}`);
}

function SetupForm({ org, instruments }: { org: OrgDetail; instruments: InstrumentSummary[] }) {
  const { t, i18n: ui } = useTranslation();
  const uiLang = ui.language as LanguageCode;
  const navigate = useNavigate();
  const create = useCreateAdministrationMutation();
  const form = useRef<HTMLFormElement>(null);
  const alert = useRef<HTMLDivElement>(null);

  const [instrumentId, setInstrumentId] = useState(instruments[0].id);
  const instrument = instruments.find((i) => i.id === instrumentId) ?? instruments[0];
  const def = useVersionQuery(instrument.id, instrument.publishedVersion).data?.definition;
  const instrumentLanguages = languageCodes.filter((l) => instrument.languages.includes(l));
  const demographicItems = def ? allItems(def).filter(({ item }) => 'demographic' in item && item.demographic).map(({ item }) => item) : [];

  const [title, setTitle] = useState<string | null>(null);
  const [schools, setSchools] = useState<SchoolChoice>({ scope: 'all', chosen: new Map() });
  const [languages, setLanguages] = useState<LanguageCode[] | null>(null);
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [opensAt, setOpensAt] = useState(() => dayAt(1, 8, browserTimeZone()));
  const [closesAt, setClosesAt] = useState(() => dayAt(15, 17, browserTimeZone()));
  const [consent, setConsent] = useState<Consent>('passive');
  const [notice, setNotice] = useState<Texts>({});
  const [assent, setAssent] = useState<Texts>({});
  const [demographics, setDemographics] = useState<string[] | null>(null);
  const [openLink, setOpenLink] = useState(true);
  const [accessCodes, setAccessCodes] = useState(false);

  const offered = languages ?? instrumentLanguages;
  const asked = demographics ?? demographicItems.map((i) => i.id);
  const titleValue = title ?? pick(instrument.title, uiLang);
  const noticeOf = (l: LanguageCode) => notice[l] ?? defaultText('notice', l, instrument.audience, consent);
  const assentOf = (l: LanguageCode) => assent[l] ?? defaultText('assent', l, instrument.audience, consent);
  const err = (field: string) => errorUnder(create.error, field);

  // After a refused submission the keyboard goes to the first field at fault, or to the alert.
  useEffect(() => {
    if (create.error) focusFirstError(form.current, alert.current);
  }, [create.error]);

  const chooseInstrument = (id: string) => {
    setInstrumentId(id);
    setLanguages(null);
    setDemographics(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: CreateAdministrationBody = {
      orgId: org.id,
      instrumentId: instrument.id,
      version: instrument.publishedVersion ?? undefined,
      title: titleValue,
      schoolIds: org.kind !== 'school' && schools.scope === 'chosen' ? [...schools.chosen.keys()] : undefined,
      languages: offered,
      opensAt,
      closesAt,
      timeZone,
      consent,
      notice: Object.fromEntries(offered.map((l) => [l, noticeOf(l)])),
      assent: Object.fromEntries(offered.map((l) => [l, assentOf(l)])),
      demographics: asked,
      openLink,
      accessCodes,
    };
    create.mutate(body, { onSuccess: (a) => navigate(`/surveys/${a.id}`, { state: { created: true } }) });
  };

  const languageName = (l: LanguageCode) => t(`languageNames.${l}`);
  return (
    <form ref={form} onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Block title={t('surveys.setup.what')}>
          <NativeSelect
            label={t('surveys.fields.instrument')}
            value={instrument.id}
            onChange={(e) => chooseInstrument(e.currentTarget.value)}
            data={instruments.map((i) => ({ value: i.id, label: pick(i.title, uiLang) }))}
            error={err('instrumentId') ?? err('version')}
          />
          <TextInput label={t('surveys.fields.title')} description={t('surveys.setup.titleHelp')} required value={titleValue} onChange={(e) => setTitle(e.currentTarget.value)} error={err('title')} />
        </Block>

        <Block title={t('surveys.setup.who')}>
          {org.kind === 'school' ? (
            <Text>{t('surveys.setup.thisSchool', { name: org.name })}</Text>
          ) : (
            <SchoolPicker org={org} value={schools} onChange={setSchools} error={err('schoolIds')} />
          )}
          <Checkbox.Group
            label={t('surveys.setup.languages')}
            description={t('surveys.setup.languagesHelp')}
            value={offered}
            onChange={(v) => setLanguages(instrumentLanguages.filter((l) => v.includes(l)))}
            error={err('languages')}
          >
            <Group mt="xs">
              {instrumentLanguages.map((l) => (
                <Checkbox key={l} value={l} label={languageName(l)} />
              ))}
            </Group>
          </Checkbox.Group>
        </Block>

        <Block title={t('surveys.setup.when')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput type="datetime-local" label={t('surveys.fields.opensAt')} required value={opensAt} onChange={(e) => setOpensAt(e.currentTarget.value)} error={err('opensAt')} />
            <TextInput type="datetime-local" label={t('surveys.fields.closesAt')} required value={closesAt} onChange={(e) => setClosesAt(e.currentTarget.value)} error={err('closesAt')} />
            <NativeSelect label={t('surveys.fields.timeZone')} value={timeZone} onChange={(e) => setTimeZone(e.currentTarget.value)} data={timeZoneOptions(timeZone)} error={err('timeZone')} />
          </SimpleGrid>
          <Text size="sm">{t('surveys.setup.whenHelp', { zone: timeZone })}</Text>
        </Block>

        <Block title={t('surveys.setup.consentTitle')}>
          <Radio.Group label={t('surveys.fields.consent')} value={consent} onChange={(v) => setConsent(v as Consent)} error={err('consent')}>
            <Stack gap="sm" mt="xs">
              <Radio value="passive" label={t('surveys.consent.passive')} description={t('surveys.consentHelp.passive')} />
              <Radio value="active" label={t('surveys.consent.active')} description={t('surveys.consentHelp.active')} />
            </Stack>
          </Radio.Group>
          <Text size="sm">{t('surveys.setup.textsHelp')}</Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack gap="sm">
              {offered.map((l) => (
                <Textarea key={l} lang={l} label={t('surveys.setup.noticeIn', { language: languageName(l) })} autosize minRows={3} value={noticeOf(l)} onChange={(e) => setNotice({ ...notice, [l]: e.currentTarget.value })} error={err(`notice.${l}`) ?? (l === offered[0] ? err('notice') : undefined)} />
              ))}
            </Stack>
            <Stack gap="sm">
              {offered.map((l) => (
                <Textarea key={l} lang={l} label={t('surveys.setup.assentIn', { language: languageName(l) })} autosize minRows={3} value={assentOf(l)} onChange={(e) => setAssent({ ...assent, [l]: e.currentTarget.value })} error={err(`assent.${l}`) ?? (l === offered[0] ? err('assent') : undefined)} />
              ))}
            </Stack>
          </SimpleGrid>
        </Block>

        <Block title={t('surveys.setup.demographicsTitle')}>
          {def && demographicItems.length === 0 && <Text>{t('surveys.setup.noDemographics')}</Text>}
          {!def && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
          {demographicItems.length > 0 && (
            <Checkbox.Group label={t('surveys.setup.demographics')} description={t('surveys.setup.demographicsHelp')} value={asked} onChange={setDemographics} error={err('demographics')}>
              <Stack gap="xs" mt="xs">
                {demographicItems.map((item) => (
                  <Checkbox key={item.id} value={item.id} label={pick(item.text, uiLang, def?.defaultLanguage)} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
        </Block>

        <Block title={t('surveys.setup.accessTitle')}>
          <Stack gap="sm">
            <Checkbox label={t('surveys.access.openLink')} description={t('surveys.accessHelp.openLink')} checked={openLink} onChange={(e) => setOpenLink(e.currentTarget.checked)} error={err('openLink')} />
            <Checkbox label={t('surveys.access.codes')} description={t('surveys.accessHelp.codes')} checked={accessCodes} onChange={(e) => setAccessCodes(e.currentTarget.checked)} error={err('accessCodes')} />
          </Stack>
        </Block>

        <div ref={alert} tabIndex={-1}>
          <ErrorAlert error={create.error && !isFieldError(create.error, FIELDS) && !FIELDS.some((f) => errorUnder(create.error, f)) ? create.error : null} />
        </div>
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('surveys.setup.submit')}
          </Button>
          <Button variant="default" component={Link} to={`/orgs/${org.id}/surveys`}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

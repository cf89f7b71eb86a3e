import { Button, CopyButton, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdministrationDetail } from '../../surveys.contract.js';
import { ScrollTable } from './ScrollTable.js';

/** A code as read aloud or typed: groups of four (dashes are ignored on entry). */
export function printableCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

export function percent(value: number | null, lang: string): string {
  return value === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

/** Each school taking part: its open link and short code, and how many answered, declined and used codes. */
export function SchoolsTable({ a }: { a: AdministrationDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const origin = window.location.origin;
  const n = (x: number) => x.toLocaleString(lang);
  const caption = t('surveys.schools.caption', { count: a.sites.length, n: n(a.sites.length) });
  return (
    <Stack gap="xs" component="section" aria-labelledby="schools-title">
      <Title order={2} size="h3" id="schools-title">
        {t('surveys.schools.title')}
      </Title>
      {a.openLink && <Text size="sm">{t('surveys.schools.linkHelp', { address: `${origin}/s` })}</Text>}
      <ScrollTable label={caption}>
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('surveys.schools.school')}</Table.Th>
              {a.openLink && <Table.Th scope="col">{t('surveys.schools.link')}</Table.Th>}
              {a.openLink && <Table.Th scope="col">{t('surveys.schools.code')}</Table.Th>}
              <Table.Th scope="col">{t('surveys.fields.responses')}</Table.Th>
              <Table.Th scope="col">{t('surveys.schools.participation')}</Table.Th>
              <Table.Th scope="col">{t('surveys.schools.declined')}</Table.Th>
              {a.accessCodes && <Table.Th scope="col">{t('surveys.schools.codes')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.sites.map((s) => {
              const url = s.linkCode ? `${origin}/s/${s.linkCode}` : null;
              return (
                <Table.Tr key={s.orgId}>
                  <Table.Th scope="row">{s.name}</Table.Th>
                  {a.openLink && (
                    <Table.Td>
                      {url && (
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                            {url}
                          </Text>
                          <CopyButton value={url}>
                            {({ copied, copy }) => (
                              <>
                                <Button size="compact-sm" variant="light" onClick={copy} aria-label={copied ? t('surveys.schools.copied') : t('surveys.schools.copyFor', { name: s.name })}>
                                  {copied ? t('surveys.schools.copied') : t('surveys.schools.copy')}
                                </Button>
                                {/* A changed button name is not always read out; this is. */}
                                <VisuallyHidden role="status">{copied ? t('surveys.schools.copied') : ''}</VisuallyHidden>
                              </>
                            )}
                          </CopyButton>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                  {a.openLink && (
                    <Table.Td>
                      <Text ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                        {s.linkCode ? printableCode(s.linkCode) : '—'}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>{n(s.responses)}</Table.Td>
                  <Table.Td>{s.enrolment ? t('surveys.schools.ofEnrolment', { share: percent((s.responses / s.enrolment) * 100, lang), enrolment: n(s.enrolment) }) : '—'}</Table.Td>
                  <Table.Td>{n(s.declined)}</Table.Td>
                  {a.accessCodes && <Table.Td>{t('surveys.schools.codesUsed', { used: n(s.codesUsed), printed: n(s.codesPrinted) })}</Table.Td>}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

import { Alert, Anchor, Button, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { SuccessNote } from '../../../client/components/FormParts.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { pick } from '../../instruments/model/text.js';
import type { ResourceDetail } from '../resources.contract.js';
import { formatSize, pickWithLanguage, type ResourceLabels, useResourceLabels } from './components/labels.js';
import { ResourceForm } from './components/ResourceForm.js';
import { TagBadge } from './components/ResultCard.js';
import { useHandedNote } from './components/useHandedNote.js';
import { ReviewControls } from './components/Suggestions.js';
import { libraryLink } from './libraryView.js';
import { useDeleteResourceMutation, useResourceQuery } from './resources.api.js';
import './resources.css';

/**
 * One resource in full: what it is, who it is for, the framework elements it serves (each a way
 * into the library), where it comes from, its link and its file. Curators change or remove it and
 * review it while it is a suggestion; whoever suggested it sees where it stands.
 */
export function ResourcePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const resource = useResourceQuery(id);
  const created = useHandedNote<'suggest' | 'add'>('created');
  if (resource.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  // Removed since it was last shown (by a curator elsewhere, or before Back): not found, not stale.
  const gone = resource.error instanceof ApiError && resource.error.status === 404;
  if (!resource.data || gone) {
    const missing = !Number.isInteger(id) || id <= 0 || gone;
    return (
      <Stack gap="md">
        <BackToLibrary />
        <PageTitle>{missing ? t('resources.detail.notFound') : t('resources.detail.title')}</PageTitle>
        {missing ? <Text>{t('resources.detail.notFoundHelp')}</Text> : <ErrorAlert error={resource.error} />}
      </Stack>
    );
  }
  return <Detail resource={resource.data} created={created} />;
}

function BackToLibrary() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/resources" size="sm">
      {t('resources.detail.back')}
    </Anchor>
  );
}

function Detail({ resource: r, created }: { resource: ResourceDetail; created?: 'suggest' | 'add' }) {
  const { t } = useTranslation();
  const labels = useResourceLabels();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)');
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [saved, setSaved] = useState(false);
  const [reviewed, setReviewed] = useState<'publish' | 'decline' | null>(null);
  const remove = useDeleteResourceMutation();
  const title = pickWithLanguage(r.title, labels.lang);
  const summary = pickWithLanguage(r.summary, labels.lang);

  return (
    <Stack gap="lg" maw={900}>
      <BackToLibrary />
      <SuccessNote show={!!created}>{created === 'suggest' ? t('resources.detail.suggested') : t('resources.detail.added')}</SuccessNote>
      <SuccessNote show={saved}>{t('common.saved')}</SuccessNote>
      <SuccessNote show={!!reviewed}>{reviewed === 'publish' ? t('resources.detail.publishedNow') : t('resources.detail.declinedNow')}</SuccessNote>
      <div>
        <div lang={title.lang === labels.lang ? undefined : title.lang}>
          <PageTitle>{title.text}</PageTitle>
        </div>
        <Group gap={6}>
          <TagBadge>{labels.type(r.type)}</TagBadge>
          {r.example && <TagBadge outline>{t('resources.card.example')}</TagBadge>}
          {!r.shipped && r.status === 'published' && <TagBadge outline>{t('resources.card.network')}</TagBadge>}
        </Group>
      </div>

      <ReviewState resource={r} />

      <Text lang={summary.lang === labels.lang ? undefined : summary.lang} maw={760}>
        {summary.text}
      </Text>

      <OpenOrDownload resource={r} labels={labels} />

      <section aria-labelledby="resource-about">
        <Title order={2} size="h3" id="resource-about" mb="sm">
          {t('resources.detail.about')}
        </Title>
        <Metadata resource={r} labels={labels} />
      </section>

      {r.can.edit && r.status === 'suggested' && (
        <Paper withBorder p="lg" component="section" aria-labelledby="resource-review">
          <Title order={2} size="h3" id="resource-review" mb="sm">
            {t('resources.review.title')}
          </Title>
          <ReviewControls resource={r} onReviewed={(d) => setReviewed(d)} />
        </Paper>
      )}

      {r.can.edit && (
        <Paper withBorder p="lg" component="section" aria-labelledby="resource-manage">
          <Title order={2} size="h3" id="resource-manage" mb="sm">
            {t('resources.detail.manage')}
          </Title>
          <Group gap="sm">
            <Button
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t('resources.detail.edit')}
            </Button>
            <Button color="red.9" variant="outline" onClick={() => setConfirmDelete(true)}>
              {t('resources.detail.delete')}
            </Button>
          </Group>
        </Paper>
      )}

      <Modal opened={editing} onClose={() => setEditing(false)} title={t('resources.form.editTitle', { title: title.text })} size="xl" fullScreen={!!phone} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {editing && (
          <ResourceForm
            mode="edit"
            initial={r}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              setSaved(true);
            }}
          />
        )}
      </Modal>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('resources.detail.deleteTitle', { title: title.text })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text>{t('resources.detail.deleteHelp')}</Text>
          <ErrorAlert error={remove.error} />
          <Group gap="sm">
            <Button color="red.9" loading={remove.isPending} onClick={() => remove.mutateAsync(r.id).then(() => navigate('/resources', { state: { deleted: title.text } }), () => undefined)}>
              {t('resources.detail.deleteConfirm')}
            </Button>
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** Where a suggestion stands, and what the curators said about it. */
function ReviewState({ resource: r }: { resource: ResourceDetail }) {
  const { t } = useTranslation();
  const who = r.suggestedBy ? t('resources.detail.suggestedBy', { name: r.suggestedBy, org: r.suggestedOrgName ?? '' }) : null;
  const note = r.reviewNote ? (
    <Text size="sm" mt={4}>
      {t('resources.detail.reviewNote', { note: r.reviewNote })}
    </Text>
  ) : null;
  if (r.status === 'published')
    return who ? (
      <div>
        <Text size="sm">{who}</Text>
        {note}
      </div>
    ) : null;
  return (
    <Alert color={r.status === 'declined' ? 'red' : 'blue'} variant="light" title={t(`resources.detail.status.${r.status}`)}>
      <Text size="sm">{t(`resources.detail.statusHelp.${r.status}`)}</Text>
      {who && (
        <Text size="sm" mt={4}>
          {who}
        </Text>
      )}
      {note}
    </Alert>
  );
}

/** A safe destination: a page of this product or an http(s) address; anything else is shown as text. */
function linkKind(url: string): 'internal' | 'external' | null {
  if (/^\/(?!\/)/.test(url)) return 'internal';
  if (/^https?:\/\//i.test(url)) return 'external';
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The resource's link (a page here, another site, or an example address) and its file. */
function OpenOrDownload({ resource: r, labels }: { resource: ResourceDetail; labels: ResourceLabels }) {
  const { t } = useTranslation();
  const kind = r.url ? linkKind(r.url) : null;
  if (!r.url && !r.file) return null;
  return (
    <Paper withBorder p="md" bg="gray.0">
      <Stack gap="xs">
        {r.url && kind === 'internal' && (
          <Anchor component={Link} to={r.url} fw={600} className="resource-break">
            {t('resources.detail.openInApp', { url: r.url })}
          </Anchor>
        )}
        {r.url && kind === 'external' && (
          <div>
            <Anchor href={r.url} target="_blank" rel="noopener noreferrer" fw={600} className="resource-break">
              {r.example ? t('resources.detail.openExample', { host: hostOf(r.url) }) : t('resources.detail.openExternal', { host: hostOf(r.url) })}
            </Anchor>
            {r.example && (
              <Text size="sm" mt={4}>
                {t('resources.detail.exampleHelp')}
              </Text>
            )}
          </div>
        )}
        {r.url && kind === null && <Text className="resource-break">{r.url}</Text>}
        {r.file && (
          <Anchor href={`/api/resources/${r.id}/file`} download={r.file.name} fw={600} className="resource-break">
            {t('resources.detail.download', { name: r.file.name, size: formatSize(r.file.size, labels.lang) })}
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}

function Metadata({ resource: r, labels }: { resource: ResourceDetail; labels: ResourceLabels }) {
  const { t } = useTranslation();
  const rows: [string, ReactNode][] = [
    [t('resources.fields.audiences'), r.audiences.length ? r.audiences.map(labels.audience).join(', ') : t('resources.detail.anyAudience')],
    [t('resources.fields.gradeBands'), r.gradeBands.length ? r.gradeBands.map(labels.grade).join(', ') : t('resources.detail.everyGrade')],
    [t('resources.fields.languages'), r.languages.map(labels.language).join(', ')],
  ];
  if (r.elements.length)
    rows.push([
      t('resources.fields.elements'),
      <ul className="resource-plain-list" style={{ gap: 4 }}>
        {r.elements.map((e) => (
          <li key={e}>
            <Anchor component={Link} to={libraryLink({ element: [e] })}>
              {labels.element(e)}
            </Anchor>
            {labels.frameworkOf(e) && (
              <Text span size="sm">
                {' '}
                ({labels.frameworkOf(e)})
              </Text>
            )}
          </li>
        ))}
      </ul>,
    ]);
  if (r.collections.length)
    rows.push([
      t('resources.detail.collections'),
      <ul className="resource-plain-list" style={{ gap: 4 }}>
        {r.collections.map((c) => (
          <li key={c.id}>
            <Anchor component={Link} to={libraryLink({ collection: c.id })}>
              {pick(c.title, labels.lang)}
            </Anchor>
          </li>
        ))}
      </ul>,
    ]);
  if (r.source) rows.push([t('resources.fields.source'), r.source]);
  if (r.licence) rows.push([t('resources.fields.licence'), r.licence]);
  if (r.url) rows.push([t('resources.fields.url'), <span className="resource-break">{r.url}</span>]);
  return (
    <dl className="resource-meta">
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

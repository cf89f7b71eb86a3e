import { Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { Section } from '../../../../client/components/FormParts.js';
import { fieldError } from '../../../../client/forms.js';
import type { AdministrationDetail } from '../../surveys.contract.js';
import { useCloseAdministrationMutation, useDeleteResponsesMutation, useExtendAdministrationMutation } from '../surveys.api.js';
import { formatInZone, toLocalInput } from '../zonedTime.js';

const WEEK_MS = 7 * 86_400_000;

/**
 * What a coordinator does with a running survey: close it now, move the closing later (which
 * also reopens a closed one), and delete every response for good after a plain confirmation.
 * Each result is said in a status message that takes the focus, so the keyboard goes on from it.
 */
export function ManagePanel({ a, responses }: { a: AdministrationDetail; responses: number }) {
  const { t, i18n } = useTranslation();
  const close = useCloseAdministrationMutation(a.id);
  const extend = useExtendAdministrationMutation(a.id);
  const remove = useDeleteResponsesMutation(a.id);
  const [confirming, confirm] = useDisclosure(false);
  const [message, setMessage] = useState<{ text: string; at: number } | null>(null);
  const note = useRef<HTMLDivElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // A week after the later of now and the current closing, on the administration's own clock.
  const [closesAt, setClosesAt] = useState(() => toLocalInput(new Date(Math.max(Date.now(), Date.parse(a.closesAt)) + WEEK_MS), a.timeZone));
  const when = (iso: string) => formatInZone(iso, a.timeZone, i18n.language);
  const closed = a.state === 'closed';

  useEffect(() => {
    if (message) note.current?.focus();
  }, [message]);

  const say = (text: string) => setMessage({ text, at: Date.now() });
  const onExtend = (e: FormEvent) => {
    e.preventDefault();
    extend.mutate(closesAt, { onSuccess: (next) => say(closed ? t('surveys.manage.reopened', { when: when(next.closesAt) }) : t('surveys.manage.extended', { when: when(next.closesAt) })) });
  };
  const onDelete = () =>
    remove.mutate(undefined, {
      onSuccess: ({ deleted }) => {
        confirm.close();
        say(t('surveys.manage.deleted', { count: deleted, n: deleted.toLocaleString(i18n.language) }));
      },
    });
  const cancelDelete = () => {
    confirm.close();
    deleteButton.current?.focus();
  };
  return (
    <Section title={t('surveys.manage.title')}>
      <Stack gap="lg">
        {message && (
          <div ref={note} tabIndex={-1} key={message.at}>
            <Alert color="teal" role="status">
              {message.text}
            </Alert>
          </div>
        )}
        {!closed && (
          <div>
            <Text size="sm" mb="xs">
              {t('surveys.manage.closeHelp')}
            </Text>
            <ErrorAlert error={close.error} />
            <Button variant="default" loading={close.isPending} onClick={() => close.mutate(undefined, { onSuccess: () => say(t('surveys.manage.closed')) })}>
              {t('surveys.manage.close')}
            </Button>
          </div>
        )}
        <form onSubmit={onExtend} noValidate>
          <Title order={3} size="h4" mb="xs">
            {closed ? t('surveys.manage.reopenTitle') : t('surveys.manage.extendTitle')}
          </Title>
          <Group align="flex-end">
            <TextInput
              type="datetime-local"
              label={t('surveys.manage.newClosing', { zone: a.timeZone })}
              value={closesAt}
              onChange={(e) => setClosesAt(e.currentTarget.value)}
              error={fieldError(extend.error, 'closesAt')}
              required
            />
            <Button type="submit" loading={extend.isPending}>
              {closed ? t('surveys.manage.reopen') : t('surveys.manage.extend')}
            </Button>
          </Group>
          <ErrorAlert error={extend.error && !fieldError(extend.error, 'closesAt') ? extend.error : null} />
        </form>
        <div>
          <Title order={3} size="h4" mb="xs">
            {t('surveys.manage.deleteTitle')}
          </Title>
          <Text size="sm" mb="xs">
            {t('surveys.manage.deleteHelp')}
          </Text>
          <Button ref={deleteButton} color="red" variant="outline" onClick={confirm.open}>
            {t('surveys.manage.delete')}
          </Button>
        </div>
      </Stack>
      <Modal opened={confirming} onClose={cancelDelete} title={t('surveys.manage.deleteConfirmTitle')} returnFocus={false} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Text mb="sm">{t('surveys.manage.deleteConfirm', { count: responses, n: responses.toLocaleString(i18n.language), title: a.title })}</Text>
        <Text mb="md">{t('surveys.manage.deleteKeeps')}</Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={cancelDelete} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={remove.isPending} onClick={onDelete}>
            {t('surveys.manage.deleteConfirmButton', { count: responses, n: responses.toLocaleString(i18n.language) })}
          </Button>
        </Group>
      </Modal>
    </Section>
  );
}

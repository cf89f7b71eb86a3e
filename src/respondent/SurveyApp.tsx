/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AnswerValue } from '../features/instruments/model/item-types.js';
import { type LanguageCode, languageCodes, pick } from '../features/instruments/model/lang.js';
import type { PublicSurvey } from '../features/surveys/surveys.public.contract.js';
import { answersToSend, arrival, landing, pageIndex, surveyPages } from './flow.js';
import { ItemView } from './items.js';
import { languageNames, type Messages, messages } from './messages.js';
import { codeFromPath, createWaiter, deviceStore, fetchSurvey, isCode, isLanguage, type KeyValue, newProgress, normalizeCode, preferredLanguage, type Progress, sendDecline, submitUntilAcked, type WaitReason } from './store.js';

/**
 * The anonymous survey page at /s/<code>: language, notice and assent, one section per page,
 * sending (retried until acknowledged), thank-you. Every screen has one h1, which takes the
 * focus when the screen changes so that screen readers announce where the respondent is.
 */

type Gone = 'unknown' | 'closed' | 'not_open' | 'used';
/** Why answers could not be sent: too long (413), a page to reload (403), or something else. */
type Refusal = 'too_large' | 'forbidden' | 'other';
type Screen =
  | { name: 'code' }
  | { name: 'loading' }
  | { name: 'unreachable' }
  | { name: 'gone'; why: Gone }
  | { name: 'welcome'; resume: boolean }
  | { name: 'page' }
  | { name: 'pending' }
  | { name: 'sending'; waiting: WaitReason | null }
  | { name: 'rejected'; why: Refusal }
  | { name: 'thanks'; canRestart: boolean }
  | { name: 'declined' };

export interface AppEnv {
  path: string;
  navigatorLanguages: readonly string[];
  local: KeyValue | null;
  session: KeyValue | null;
  online: () => boolean;
  go: (url: string) => void;
}

export function SurveyApp({ env }: { env: AppEnv }) {
  const code = useMemo(() => codeFromPath(env.path), [env.path]);
  const store = useMemo(() => (isCode(code) ? deviceStore(code, env.local, env.session) : null), [code, env.local, env.session]);
  const preferred = useMemo(() => preferredLanguage(env.navigatorLanguages), [env.navigatorLanguages]);
  const waiter = useMemo(createWaiter, []);

  const progressRef = useRef<Progress>(newProgress());
  const [progress, setProgress] = useState<Progress>(progressRef.current);
  const [survey, setSurvey] = useState<PublicSurvey | null>(null);
  const [lang, setLang] = useState<LanguageCode>(preferred ?? 'en');
  const [screen, setScreen] = useState<Screen>(code === '' ? { name: 'code' } : store ? { name: 'loading' } : { name: 'gone', why: 'unknown' });
  const [alert, setAlert] = useState('');
  const m = messages[lang];

  /** Changes the response in progress and keeps it on the device at once. */
  const update = (change: (p: Progress) => Progress, persist = true) => {
    const next = change(progressRef.current);
    progressRef.current = next;
    if (persist) store?.save(next);
    setProgress(next);
  };

  const def = survey?.instrument ?? null;
  const pages = useMemo(() => (def ? surveyPages(def, progress.answers) : []), [def, progress.answers]);
  const at = def ? pageIndex(def, pages, progress.section) : 0;

  const finish = () => {
    store?.clear();
    store?.setTabFlag('active', null);
    update(() => newProgress(lang), false);
  };

  const showSurvey = (s: PublicSurvey | 'unreachable') => {
    if (s !== 'unreachable') {
      setSurvey(s);
      setLang(s.language);
    }
    const to = landing(s, progressRef.current, !!store?.tabFlag('active'));
    if (to === 'gone' && s !== 'unreachable') {
      // Closed, not open yet or used: answers kept for it can never be sent.
      finish();
      setScreen({ name: 'gone', why: s.state === 'open' ? 'closed' : s.state });
    } else if (to === 'resume' || to === 'welcome') setScreen({ name: 'welcome', resume: to === 'resume' });
    else if (to !== 'gone') setScreen(to === 'page' ? { name: 'page' } : to === 'pending' ? { name: 'pending' } : { name: 'unreachable' });
  };

  const load = async (want: LanguageCode | null) => {
    setScreen({ name: 'loading' });
    const r = await fetchSurvey(code, want);
    if (r.kind === 'unknown_code') setScreen({ name: 'gone', why: 'unknown' });
    else showSurvey(r.kind === 'ok' ? r.survey : 'unreachable');
  };

  /** Forgets the answers on the device (someone else's, or ones that cannot be sent) and starts afresh. */
  const discard = () => {
    finish();
    void load(lang);
  };

  const send = async (p: Progress) => {
    // Sending marks this tab as the one that made the answers: a reload goes on sending.
    store?.setTabFlag('active', '1');
    setScreen({ name: 'sending', waiting: null });
    const result = await submitUntilAcked(
      { code, submissionId: p.submissionId, language: p.language ?? lang, answers: p.answers },
      {
        fetch: (u, i) => fetch(u, i),
        wait: waiter.wait,
        offline: () => !env.online(),
        onWaiting: (reason) => setScreen({ name: 'sending', waiting: reason }),
        onAnswerDropped: (_slot, answers) => update((q) => ({ ...q, answers })),
      },
    );
    if (result.kind === 'acked') {
      finish();
      store?.setTabFlag('done', p.language ?? lang);
      setScreen({ name: 'thanks', canRestart: false });
    } else if (result.kind === 'unknown_code') {
      finish();
      setScreen({ name: 'gone', why: 'unknown' });
    } else if (result.kind === 'conflict') {
      // Used, or closed meanwhile: ask why. The answers can then never be sent, so they go.
      const r = await fetchSurvey(code, p.language ?? lang);
      if (r.kind === 'ok' && r.survey.state !== 'open') {
        finish();
        setSurvey(r.survey);
        setScreen({ name: 'gone', why: r.survey.state });
      } else setScreen({ name: 'rejected', why: 'other' });
    } else if (result.kind === 'too_large') setScreen({ name: 'rejected', why: 'too_large' });
    else if (result.kind === 'forbidden') setScreen({ name: 'rejected', why: 'forbidden' });
    else if (result.kind === 'rejected') setScreen({ name: 'rejected', why: 'other' });
  };

  // On arrival: a response just sent in this tab, one waiting to be sent, or the survey.
  useEffect(() => {
    if (!store) return;
    const saved = store.load();
    if (saved) {
      progressRef.current = saved;
      setProgress(saved);
      if (saved.language) setLang(saved.language);
    }
    const done = store.tabFlag('done');
    const next = arrival(saved, { done: !!done, active: !!store.tabFlag('active') });
    if (next === 'thanks') {
      if (isLanguage(done)) setLang(done);
      setScreen({ name: 'thanks', canRestart: false });
    } else if (next === 'send' && saved) void send(saved);
    else void load(saved?.language ?? preferred);
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The connection coming back ends any wait before the next try.
  useEffect(() => {
    const wake = () => waiter.wake();
    window.addEventListener('online', wake);
    return () => window.removeEventListener('online', wake);
  }, [waiter]);

  // After a thank-you, offer a new response when the link takes more (an open link, not a used code).
  const thanks = screen.name === 'thanks';
  useEffect(() => {
    if (!thanks || !store) return;
    let live = true;
    void fetchSurvey(code, lang).then((r) => {
      if (!live || r.kind !== 'ok') return;
      setSurvey(r.survey);
      if (r.survey.state === 'open') setScreen({ name: 'thanks', canRestart: true });
    });
    return () => {
      live = false;
    };
    // Asked once per thank-you.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [thanks]);

  const heading = headingOf(screen, m, survey, def && pages[at] ? pick(pages[at].section.title, lang, def.defaultLanguage) : '');
  const viewKey = screen.name === 'page' ? `page:${pages[at]?.section.id}` : screen.name;
  const lastKey = useRef<string | null>(null);
  // Before paint: the words on screen and the language screen readers use change together.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${heading} – Schoolwell`;
  }, [lang, heading]);
  useEffect(() => {
    const before = lastKey.current;
    lastKey.current = viewKey;
    if (before === null || before === viewKey) return;
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [viewKey]);

  const switchLanguage = async (next: LanguageCode) => {
    setAlert('');
    if (!survey) return setLang(next);
    const r = await fetchSurvey(code, next);
    if (r.kind !== 'ok') return setAlert(messages[next].offlineText);
    if (progressRef.current.started) update((p) => ({ ...p, language: r.survey.language }));
    if (screen.name === 'welcome' || screen.name === 'page' || screen.name === 'gone') showSurvey(r.survey);
    else {
      setSurvey(r.survey);
      setLang(r.survey.language);
    }
  };

  const start = (fresh: boolean) => {
    store?.setTabFlag('active', '1');
    update((p) => ({ ...(fresh ? newProgress() : p), started: true, language: lang }));
    setScreen({ name: 'page' });
  };

  const decline = () => {
    void sendDecline(code, { fetch: (u, i) => fetch(u, i), wait: waiter.wait });
    finish();
    setScreen({ name: 'declined' });
  };

  const goTo = (index: number) => update((p) => ({ ...p, section: pages[index].section.id }));
  const next = () => {
    if (at < pages.length - 1) return goTo(at + 1);
    // Only what the respondent could see, in values the questions take, is sent.
    const ready: Progress = { ...progressRef.current, answers: answersToSend(def!, progressRef.current.answers), language: lang, sending: true };
    update(() => ready);
    void send(ready);
  };
  const onAnswer = (slotId: string, value: AnswerValue | undefined) =>
    update((p) => {
      const answers = { ...p.answers };
      if (value === undefined) delete answers[slotId];
      else answers[slotId] = value;
      return { ...p, answers };
    });

  const langs: readonly LanguageCode[] = survey ? survey.languages : screen.name === 'sending' || screen.name === 'rejected' || screen.name === 'pending' ? [] : languageCodes;
  const h1 = (
    <h1 tabIndex={-1} id="title">
      {heading}
    </h1>
  );

  let body: ComponentChildren;
  switch (screen.name) {
    case 'code':
      body = (
        <>
          {h1}
          <CodeForm m={m} onCode={(c) => env.go(`/s/${c}`)} />
        </>
      );
      break;
    case 'loading':
      body = (
        <p role="status" class="status">
          {m.loading}
        </p>
      );
      break;
    case 'unreachable':
      body = (
        <>
          {h1}
          <p>{m.offlineText}</p>
          {progress.started && <p>{m.offlineKept}</p>}
          <Buttons>
            <button type="button" class="primary" onClick={() => void load(lang)}>
              {m.tryAgain}
            </button>
          </Buttons>
        </>
      );
      break;
    case 'gone':
      body = (
        <>
          {survey && <p class="context">{survey.schoolName}</p>}
          {h1}
          <p>{screen.why === 'unknown' ? m.unknownText : screen.why === 'closed' ? m.closedText : screen.why === 'used' ? m.usedText : m.notOpenText(formatWhen(survey?.opensAt, lang))}</p>
          {screen.why === 'unknown' && <CodeForm m={m} onCode={(c) => env.go(`/s/${c}`)} />}
        </>
      );
      break;
    case 'welcome':
      body = (
        <>
          <p class="context">{survey?.schoolName}</p>
          {h1}
          {survey?.notice && (
            <section aria-labelledby="about">
              <h2 id="about">{m.aboutTitle}</h2>
              <p class="text">{survey.notice}</p>
            </section>
          )}
          <ul class="facts">
            {def?.estimatedMinutes && <li>{m.minutes(def.estimatedMinutes)}</li>}
            <li>{m.skipAny}</li>
            <li>{m.anonymous}</li>
            <li>{m.keptOnDevice}</li>
          </ul>
          <section aria-labelledby="choice">
            <h2 id="choice">{m.choiceTitle}</h2>
            {survey?.assent && <p class="text">{survey.assent}</p>}
            {screen.resume && <p>{m.resumeText}</p>}
            <Buttons>
              {screen.resume ? (
                <>
                  <button type="button" class="primary" onClick={() => start(false)}>
                    {m.continueSurvey}
                  </button>
                  <button type="button" class="secondary" onClick={() => start(true)}>
                    {m.startOver}
                  </button>
                </>
              ) : (
                <button type="button" class="primary" onClick={() => start(false)}>
                  {m.start}
                </button>
              )}
              <button type="button" class="secondary" onClick={decline}>
                {m.noThanks}
              </button>
            </Buttons>
          </section>
        </>
      );
      break;
    case 'page': {
      const page = pages[at];
      // Nothing to ask for the answers given (only notes or computed items): straight to sending.
      if (!page) {
        body = (
          <>
            {h1}
            <Buttons>
              <button type="button" class="primary" onClick={next}>
                {m.send}
              </button>
            </Buttons>
          </>
        );
        break;
      }
      body = def && (
        <>
          <p class="context">{pick(def.title, lang, def.defaultLanguage)}</p>
          <p class="progress-text">{m.part(at + 1, pages.length)}</p>
          <progress aria-hidden="true" max={pages.length} value={at + 1} />
          {h1}
          {page.section.description && <p class="text">{pick(page.section.description, lang, def.defaultLanguage)}</p>}
          {page.items.map((item) => (
            <ItemView key={`${lang}:${item.id}`} item={item} def={def} lang={lang} answers={progress.answers} onAnswer={onAnswer} m={m} />
          ))}
          <Buttons>
            {at > 0 && (
              <button type="button" class="secondary" onClick={() => goTo(at - 1)}>
                {m.back}
              </button>
            )}
            <button type="button" class="primary" onClick={next}>
              {at < pages.length - 1 ? m.next : m.send}
            </button>
          </Buttons>
        </>
      );
      break;
    }
    case 'sending':
      body = (
        <>
          {h1}
          <div role="status" class="status">
            {screen.waiting && <p>{screen.waiting === 'offline' ? m.waitingOffline : m.waitingServer}</p>}
            {screen.waiting && <p>{m.keepOpen}</p>}
          </div>
          {screen.waiting && (
            <Buttons>
              <button type="button" class="secondary" onClick={() => waiter.wake()}>
                {m.tryNow}
              </button>
            </Buttons>
          )}
        </>
      );
      break;
    case 'pending':
      body = (
        <>
          {h1}
          <p>{m.pendingText}</p>
          <Buttons>
            <button type="button" class="primary" onClick={() => void send(progressRef.current)}>
              {m.sendSaved}
            </button>
            <button type="button" class="secondary" onClick={discard}>
              {m.startOver}
            </button>
          </Buttons>
        </>
      );
      break;
    case 'rejected':
      body = (
        <>
          {h1}
          <p>{screen.why === 'too_large' ? m.tooLargeText : screen.why === 'forbidden' ? m.forbiddenText : m.rejectedText}</p>
          <Buttons>
            {screen.why === 'too_large' ? (
              <button
                type="button"
                class="primary"
                onClick={() => {
                  update((p) => ({ ...p, sending: false }));
                  void load(lang);
                }}
              >
                {m.backToAnswers}
              </button>
            ) : screen.why === 'forbidden' ? (
              <button type="button" class="primary" onClick={() => env.go(env.path)}>
                {m.reload}
              </button>
            ) : (
              <button type="button" class="primary" onClick={() => void send(progressRef.current)}>
                {m.tryAgain}
              </button>
            )}
            <button type="button" class="secondary" onClick={discard}>
              {m.discard}
            </button>
          </Buttons>
        </>
      );
      break;
    case 'thanks':
      body = (
        <>
          {h1}
          <p>{m.thanksText}</p>
          {screen.canRestart && (
            <>
              <p>{m.newResponseHint}</p>
              <Buttons>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    store?.setTabFlag('done', null);
                    void load(lang);
                  }}
                >
                  {m.newResponse}
                </button>
              </Buttons>
            </>
          )}
        </>
      );
      break;
    case 'declined':
      body = (
        <>
          {h1}
          <p>{m.declinedText}</p>
          <Buttons>
            <button type="button" class="secondary" onClick={() => setScreen({ name: 'welcome', resume: false })}>
              {m.changedMind}
            </button>
          </Buttons>
        </>
      );
      break;
  }

  return (
    <>
      <header class="top">
        <span class="brand">Schoolwell</span>
        {langs.length > 1 && (
          <div class="langs" role="group" aria-label={m.languageGroup}>
            {langs.map((l) => (
              <button type="button" key={l} lang={l} aria-pressed={l === lang} onClick={() => l !== lang && void switchLanguage(l)}>
                {languageNames[l]}
              </button>
            ))}
          </div>
        )}
      </header>
      <main>
        {alert && (
          <p role="alert" class="alert">
            {alert}
          </p>
        )}
        {body}
      </main>
    </>
  );
}

function headingOf(screen: Screen, m: Messages, survey: PublicSurvey | null, sectionTitle: string): string {
  switch (screen.name) {
    case 'code':
      return m.codeTitle;
    case 'loading':
      return m.loading;
    case 'unreachable':
      return m.offlineTitle;
    case 'gone':
      return { unknown: m.unknownTitle, closed: m.closedTitle, not_open: m.notOpenTitle, used: m.usedTitle }[screen.why];
    case 'welcome':
      return survey?.instrument ? pick(survey.instrument.title, survey.language, survey.instrument.defaultLanguage) : (survey?.title ?? '');
    case 'page':
      return sectionTitle || (survey?.instrument ? pick(survey.instrument.title, survey.language, survey.instrument.defaultLanguage) : '');
    case 'sending':
      return screen.waiting ? m.waitingTitle : m.sendingTitle;
    case 'pending':
      return m.pendingTitle;
    case 'rejected':
      return m.rejectedTitle;
    case 'thanks':
      return m.thanksTitle;
    case 'declined':
      return m.declinedTitle;
  }
}

function formatWhen(iso: string | undefined, lang: LanguageCode): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(d);
}

function Buttons({ children }: { children: ComponentChildren }) {
  return <div class="buttons">{children}</div>;
}

function CodeForm({ m, onCode }: { m: Messages; onCode: (code: string) => void }) {
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      class="code"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const c = normalizeCode(value);
        if (isCode(c)) onCode(c);
        else setInvalid(true);
      }}
    >
      <label htmlFor="code">{m.codeLabel}</label>
      <p class="help" id="code-hint">
        {m.codeHint}
      </p>
      {invalid && (
        <p class="error" id="code-error">
          {m.codeInvalid}
        </p>
      )}
      <input
        id="code"
        name="code"
        type="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        aria-describedby={invalid ? 'code-hint code-error' : 'code-hint'}
        aria-invalid={invalid}
        value={value}
        onInput={(e) => {
          setValue(e.currentTarget.value);
          setInvalid(false);
        }}
      />
      <Buttons>
        <button type="submit" class="primary">
          {m.codeGo}
        </button>
      </Buttons>
    </form>
  );
}

/// <reference types="vite/client" />
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

export const languages = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
  { code: 'es', label: 'Español' },
] as const;
export type Language = (typeof languages)[number]['code'];

const STORAGE_KEY = 'schoolwell.language';

function initialLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'en' || saved === 'fr' || saved === 'es') return saved;
  const browser = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
  return browser === 'fr' || browser === 'es' ? browser : 'en';
}

/**
 * Features may keep their strings beside their pages (`src/features/<f>/ui/[<part>/]locales/<lang>.json`,
 * each under its own top-level key) so that work on two features never edits one file.
 */
const featureBundles = import.meta.glob<Record<string, unknown>>('../features/*/ui/**/locales/*.json', { eager: true, import: 'default' });
function withFeatures(lang: Language, base: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [file, bundle] of Object.entries(featureBundles)) if (file.endsWith(`/${lang}.json`)) Object.assign(merged, bundle);
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: withFeatures('en', en) },
    fr: { translation: withFeatures('fr', fr) },
    es: { translation: withFeatures('es', es) },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

/** Switches the interface language and remembers the choice on this device. */
export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export function currentLanguage(): Language {
  return (i18n.language as Language) ?? 'en';
}

export default i18n;

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Catalogue } from './catalogue';
import enJson from './en.json';
import vi from './vi.json';

// The catalogues are i18next JSON resources; the type keeps English key for key with Vietnamese.
const en: Catalogue = enJson;

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = 'dotpha.language';

const stored = (): Language => {
  const value = globalThis.localStorage?.getItem(STORED);
  return value === 'en' ? 'en' : 'vi';
};

/** Vietnamese first; the user's choice is kept in this browser. */
export async function startI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: stored(),
    fallbackLng: 'vi',
    supportedLngs: [...LANGUAGES],
    resources: { vi: { translation: vi }, en: { translation: en } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    localStorage.setItem(STORED, language);
  });
  return i18next;
}

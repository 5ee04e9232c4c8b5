import { useTranslation } from 'react-i18next';

/** Formats for the current language: vi-VN (dates dd/MM/yyyy) or en-GB (the same order). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'vi-VN';
  const date = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
  const number = new Intl.NumberFormat(locale);
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'VND' });
  return {
    /** An instant or a YYYY-MM-DD day as dd/MM/yyyy. */
    date: (value: string | null | undefined) => (value ? date.format(new Date(value.length === 10 ? `${value}T12:00:00+07:00` : value)) : '—'),
    dateTime: (value: string) => `${date.format(new Date(value))} ${time.format(new Date(value))}`,
    number: (value: number) => number.format(value),
    vnd: (value: number) => money.format(value),
  };
}

import { RevisionConflict } from '@dotpha/kernel';
import type { ServiceKernel } from '@dotpha/service-runtime';

/** A person's choice about e-mail of their notices, one document per user (absent: e-mail on). */
export const MAIL_PREFERENCES = 'mail-preferences';

export interface MailPreference {
  readonly email: boolean;
  readonly changedAt: string;
}

export async function emailEnabled(kernel: ServiceKernel, userId: string): Promise<boolean> {
  return (await kernel.readModels.get<MailPreference>(MAIL_PREFERENCES, userId))?.data.email ?? true;
}

/** Turns e-mail of the user's notices on or off (compare-and-set: a concurrent change is decided again). */
export async function setEmail(kernel: ServiceKernel, userId: string, email: boolean): Promise<void> {
  for (;;) {
    const current = await kernel.readModels.get<MailPreference>(MAIL_PREFERENCES, userId);
    try {
      await kernel.readModels.put(MAIL_PREFERENCES, { id: userId, data: { email, changedAt: kernel.now().toISOString() }, applied: {} }, current?.revision ?? 0);
      return;
    } catch (error) {
      if (!(error instanceof RevisionConflict)) throw error;
    }
  }
}

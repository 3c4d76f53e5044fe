import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { uploadAttachment } from '../api/client';
import type { Attachment } from '../api/models';
import { errorMessage } from '../lib/labels';

interface Item {
  key: string;
  preview: string;
  id?: string;
  error?: string;
  busy: boolean;
}

/** Uploads one photo (multipart) and answers the stored attachment; retried once on a network failure. */
export async function uploadPhoto(
  file: File,
  purpose?: string,
  upload: (form: FormData) => Promise<Attachment> = uploadAttachment,
): Promise<Attachment> {
  const form = new FormData();
  if (purpose) form.append('purpose', purpose);
  form.append('file', file, file.name);
  try {
    return await upload(form);
  } catch (e) {
    if ((e as { code?: string }).code !== 'network') throw e;
    return upload(form);
  }
}

export const attachmentUrl = (a: Attachment | string) =>
  typeof a === 'string' ? `/api/v1/attachments/${a}` : `/api/v1/attachments/${a.id}`;

/**
 * Photo picker for phones and desktops: opens the camera on phones (capture=environment), uploads each
 * photo at once and reports the ids of the uploaded ones. `onBusy` tells the form to wait for uploads.
 */
export function PhotoInput({
  label,
  onChange,
  onBusy,
  required,
  name,
  capture = true,
  upload,
}: {
  label: string;
  onChange: (ids: string[]) => void;
  onBusy?: (busy: boolean) => void;
  required?: boolean;
  name?: string;
  capture?: boolean;
  /** Where the photos go (default POST /api/v1/attachments; the public page uploads without a session). */
  upload?: (form: FormData) => Promise<Attachment>;
}) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onBusyRef = useRef(onBusy);
  onBusyRef.current = onBusy;

  useEffect(() => {
    onChangeRef.current(items.filter((i) => i.id).map((i) => i.id!));
    onBusyRef.current?.(items.some((i) => i.busy));
  }, [items]);

  const itemsRef = useRef(items);
  itemsRef.current = items;
  useEffect(() => () => itemsRef.current.forEach((i) => URL.revokeObjectURL(i.preview)), []);

  const add = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      const item: Item = { key, preview: URL.createObjectURL(file), busy: true };
      setItems((list) => [...list, item]);
      uploadPhoto(file, undefined, upload)
        .then((a) =>
          setItems((list) => list.map((i) => (i.key === key ? { ...i, id: a.id, busy: false } : i))),
        )
        .catch((e: unknown) =>
          setItems((list) =>
            list.map((i) => (i.key === key ? { ...i, error: errorMessage(t, e), busy: false } : i)),
          ),
        );
    }
    if (input.current) input.current.value = '';
  };

  return (
    <div className="field photo-input">
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            *
          </span>
        )}
      </label>
      <div className="photo-list">
        {items.map((i) => (
          <figure key={i.key} className={`thumb ${i.error ? 'thumb-error' : ''}`}>
            <img src={i.preview} alt="" />
            {i.busy && <figcaption className="thumb-state">{t('form.uploading')}</figcaption>}
            {i.error && (
              <figcaption className="thumb-state" role="alert">
                {i.error}
              </figcaption>
            )}
            <button
              type="button"
              className="thumb-remove"
              aria-label={t('form.removePhoto')}
              onClick={() => {
                URL.revokeObjectURL(i.preview);
                setItems((list) => list.filter((x) => x.key !== i.key));
              }}
            >
              ×
            </button>
          </figure>
        ))}
        <label className="thumb thumb-add" htmlFor={id}>
          <span aria-hidden="true">＋</span>
          <span>{t('form.addPhoto')}</span>
        </label>
      </div>
      <input
        ref={input}
        id={id}
        name={name}
        className="visually-hidden-input"
        type="file"
        accept="image/jpeg,image/png,image/webp,image/*"
        multiple
        {...(capture ? { capture: 'environment' as const } : {})}
        onChange={(e) => add(e.target.files)}
      />
    </div>
  );
}

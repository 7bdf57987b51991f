/**
 * OPC UA server certificates, in the Devices screen for users with `device.diagnostics`:
 * the certificates the client has met, trusted or rejected. A rejected one says plainly
 * that its device will not connect, and users with `certificate.trust` can trust it after
 * a confirmation that repeats the thumbprint (to compare with the one the server shows).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { serverCertificateSchema, type ServerCertificateDto } from '../../preload/contract.js';
import { useNow, useStation, useStationSnapshot } from '../app/station-context.js';
import { ModalDialog } from '../auth/modal-dialog.js';
import { mayEngineer } from './engineering-access.js';
import {
  certificateValidity,
  formatCertificateDate,
  sortCertificates,
  UNTRUSTED_LINE,
  validityText,
} from './certificate-view.js';
import { formatThumbprint } from './thumbprint.js';
import './engineering.css';
import { useText } from '../i18n/language.js';
import { engineeringText } from './engineering-text.js';
import { useRefusal } from '../app/use-refusal.js';

/** Items that do not match the contract are dropped one by one (never a crash). */
function asCertificates(x: unknown): ServerCertificateDto[] {
  if (!Array.isArray(x)) return [];
  return x.flatMap((item) => {
    const parsed = serverCertificateSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function TrustDialog({
  cert,
  onClose,
  onTrusted,
}: {
  cert: ServerCertificateDto;
  onClose: () => void;
  onTrusted: () => void;
}) {
  const t = useText(engineeringText);
  const refuse = useRefusal();
  const station = useStation();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = async () => {
    setSending(true);
    setProblem(null);
    const reply = await station.transport.request('opcua.trustCertificate', { thumbprint: cert.thumbprint });
    setSending(false);
    if (!reply.ok) {
      setProblem(refuse(reply.error));
      return;
    }
    onTrusted();
  };
  return (
    <ModalDialog title={t('trustTitle')} onClose={onClose} testId="cert-trust-dialog" className="cert-trust-dialog">
      <p>{t('compare')}</p>
      <p className="cert-thumbprint-big mono" data-testid="cert-trust-thumbprint">
        {formatThumbprint(cert.thumbprint)}
      </p>
      <dl className="cert-facts">
        <dt>{t('subject')}</dt>
        <dd>{cert.subject}</dd>
        <dt>{t('applicationUri')}</dt>
        <dd className="mono">{cert.applicationUri}</dd>
        <dt>{t('valid')}</dt>
        <dd>
          {formatCertificateDate(cert.validFrom)} … {formatCertificateDate(cert.validTo)}
        </dd>
      </dl>
      <p>{t('onceTrusted')}</p>
      <div className="modal-actions">
        <button type="button" onClick={() => void confirm()} disabled={sending} data-testid="cert-trust-confirm">
          {sending ? t('trusting') : t('thumbprintsMatch')}
        </button>
        <button type="button" autoFocus onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
      {problem ? (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </ModalDialog>
  );
}

function CertificateRow({
  cert,
  now,
  mayTrust,
  onTrust,
}: {
  cert: ServerCertificateDto;
  now: number;
  mayTrust: boolean;
  onTrust: () => void;
}) {
  const t = useText(engineeringText);
  const validity = certificateValidity(cert, now);
  const rejected = cert.trust === 'rejected';
  return (
    <tr
      data-testid="cert-row"
      data-thumbprint={cert.thumbprint}
      data-trust={cert.trust}
      className={rejected ? 'cert-rejected' : undefined}
    >
      <td className="mono cert-thumbprint">{formatThumbprint(cert.thumbprint)}</td>
      <td>{cert.subject}</td>
      <td className="mono">{cert.applicationUri}</td>
      <td className="nowrap">{formatCertificateDate(cert.validFrom)}</td>
      <td className="nowrap">
        {formatCertificateDate(cert.validTo)}
        {validity !== 'valid' ? <span className="cert-validity"> {validityText[validity]}</span> : null}
      </td>
      <td>
        {rejected ? (
          <>
            <span className="cert-state cert-state-rejected">
              <span aria-hidden="true">✕ </span>
              {t('rejected')}
            </span>
            <div className="cert-untrusted-line">{UNTRUSTED_LINE}</div>
            {mayTrust ? (
              <button type="button" className="cert-trust-button" onClick={onTrust} data-testid="cert-trust">
                {t('trustButton')}
              </button>
            ) : null}
          </>
        ) : (
          <span className="cert-state">{t('trusted')}</span>
        )}
      </td>
    </tr>
  );
}

export function CertificatesSection() {
  const t = useText(engineeringText);
  const refuse = useRefusal();
  const station = useStation();
  const { auth, devices } = useStationSnapshot();
  const now = useNow();
  const mayTrust = mayEngineer(auth, 'certificate.trust');
  const [certs, setCerts] = useState<ServerCertificateDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [trusting, setTrusting] = useState<ServerCertificateDto | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const latest = useRef(0);
  const load = useCallback(async () => {
    const ticket = ++latest.current;
    const reply = await station.transport.request('opcua.certificates', {});
    if (ticket !== latest.current) return;
    if (!reply.ok) {
      setError(refuse(reply.error));
      return;
    }
    setError(null);
    setCerts(sortCertificates(asCertificates(reply.value)));
  }, [station]);

  // A device that changes state may just have met a new certificate: list again then.
  const opcuaStates = useMemo(
    () =>
      devices
        .filter((d) => d.protocol === 'opcua')
        .map((d) => `${d.device}:${d.state}:${d.lastError ?? ''}`)
        .join('|'),
    [devices],
  );
  useEffect(() => {
    void load();
  }, [load, opcuaStates]);

  return (
    <section className="cert-section" aria-labelledby="certs-title">
      <div className="panel-head">
        <h2 id="certs-title" className="panel-subtitle">
          {t('certsTitle')}
        </h2>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
      </div>
      {error ? (
        <p className="form-problem" role="alert">
          Could not list the certificates: {error}
        </p>
      ) : null}
      {certs === null && !error ? <p className="muted">{t('loading')}</p> : null}
      {certs !== null && certs.length === 0 ? <p className="muted">{t('noCerts')}</p> : null}
      {note ? (
        <p className="form-ok" role="status">
          {note}
        </p>
      ) : null}
      {certs !== null && certs.length > 0 ? (
        <table className="grid certs" data-testid="cert-table">
          <thead>
            <tr>
              <th scope="col">{t('thumbprint')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('applicationUri')}</th>
              <th scope="col">{t('validFrom')}</th>
              <th scope="col">{t('validTo')}</th>
              <th scope="col">{t('trust')}</th>
            </tr>
          </thead>
          <tbody>
            {certs.map((c) => (
              <CertificateRow
                key={`${c.trust}:${c.thumbprint}`}
                cert={c}
                now={now}
                mayTrust={mayTrust}
                onTrust={() => setTrusting(c)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {trusting ? (
        <TrustDialog
          cert={trusting}
          onClose={() => setTrusting(null)}
          onTrusted={() => {
            setNote(t('trustedNote', { thumbprint: formatThumbprint(trusting.thumbprint), subject: trusting.subject }));
            setTrusting(null);
            void load();
          }}
        />
      ) : null}
    </section>
  );
}

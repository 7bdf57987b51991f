/**
 * The parts the console's small forms share: a labelled text field, the problem line under a
 * form, and a dialog form (fields, then the submit and cancel buttons, then the problem) on
 * the modal dialog shell (focus kept inside, Escape closes, the title labels the dialog).
 */
import type { InputHTMLAttributes, ReactNode } from 'react';
import { ModalDialog } from './modal-dialog.js';

export type LabelledInputProps = { readonly label: ReactNode } & InputHTMLAttributes<HTMLInputElement>;

/** A text field with its label above it. */
export function LabelledInput({ label, ...input }: LabelledInputProps) {
  return (
    <label>
      <span>{label}</span>
      <input {...input} />
    </label>
  );
}

/** A date and time typed on the 24-hour clock (`YYYY-MM-DD HH:MM`), as the journal, audit and range filters take them. */
export function ClockInput(props: Omit<LabelledInputProps, 'placeholder' | 'size'>) {
  return <LabelledInput {...props} placeholder="YYYY-MM-DD HH:MM" size={16} />;
}

export interface CredentialFieldsProps {
  readonly name: string;
  readonly onName: (name: string) => void;
  readonly password: string;
  readonly onPassword: (password: string) => void;
  readonly nameLabel: string;
  readonly passwordLabel: string;
  /** A password being chosen (the browser may offer to generate and keep one), not one being given. */
  readonly newPassword?: boolean;
  readonly busy: boolean;
  /** `<prefix>-name` and `<prefix>-password` are the fields' test hooks. */
  readonly testIdPrefix: string;
}

/** User name (focused first) and password, as sign-in, first run and shift handover ask for them. */
export function CredentialFields(props: CredentialFieldsProps) {
  return (
    <>
      <LabelledInput
        label={props.nameLabel}
        autoFocus
        autoComplete="username"
        value={props.name}
        onChange={(e) => props.onName(e.target.value)}
        disabled={props.busy}
        data-testid={`${props.testIdPrefix}-name`}
      />
      <LabelledInput
        label={props.passwordLabel}
        type="password"
        autoComplete={props.newPassword ? 'new-password' : 'current-password'}
        value={props.password}
        onChange={(e) => props.onPassword(e.target.value)}
        disabled={props.busy}
        data-testid={`${props.testIdPrefix}-password`}
      />
    </>
  );
}

export interface FormProblemProps {
  readonly message: string | null | undefined;
  readonly testId?: string;
  /** `form-problem` in dialogs, `signin-message` on the sign-in and lock screens. */
  readonly className?: string;
}

/** The refusal or problem under a form, read out as it appears; nothing when there is none. */
export function FormProblem({ message, testId, className = 'form-problem' }: FormProblemProps) {
  if (!message) return null;
  return (
    <p className={className} role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

export interface ModalFormProps {
  /** Called on submit (the page does not reload). */
  readonly onSubmit: () => void | Promise<void>;
  readonly submitLabel: string;
  readonly submitTestId: string;
  readonly submitDisabled?: boolean;
  readonly cancelLabel: string;
  readonly onCancel: () => void;
  readonly cancelDisabled?: boolean;
  readonly problem?: string | null;
  readonly problemTestId?: string;
  readonly children: ReactNode;
}

/** A dialog's form: its fields, the submit and cancel buttons, and the problem line. */
export function ModalForm(props: ModalFormProps) {
  return (
    <form
      className="modal-form"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSubmit();
      }}
    >
      {props.children}
      <div className="modal-actions">
        <button type="submit" disabled={props.submitDisabled} data-testid={props.submitTestId}>
          {props.submitLabel}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.cancelDisabled}>
          {props.cancelLabel}
        </button>
      </div>
      <FormProblem message={props.problem} testId={props.problemTestId} />
    </form>
  );
}

export interface FormDialogProps extends Omit<ModalFormProps, 'onCancel'> {
  readonly title: string;
  /** Escape and the cancel button both close the dialog. */
  readonly onClose: () => void;
  readonly testId: string;
}

/** A modal dialog that holds one form. */
export function FormDialog({ title, onClose, testId, ...form }: FormDialogProps) {
  return (
    <ModalDialog title={title} onClose={onClose} testId={testId}>
      <ModalForm {...form} onCancel={onClose} />
    </ModalDialog>
  );
}

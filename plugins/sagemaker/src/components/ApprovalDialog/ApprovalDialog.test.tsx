import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { registerMswTestHooks } from '@backstage/test-utils';
import { setupServer } from 'msw/node';
import { FakeSageMakerBackend } from '../../__testUtils__/FakeSageMakerBackend';
import {
  groupArn,
  makeVersions,
  modelEntity,
  summaryOf,
} from '../../__testUtils__/fixtures';
import { renderWithBackend } from '../../__testUtils__/renderWithBackend';
import { ApprovalDialog } from './ApprovalDialog';

const server = setupServer();
registerMswTestHooks(server);

// Version 1 is Approved, 2 is pending approval, 3 is Rejected.
let backend: FakeSageMakerBackend;
beforeEach(() => {
  backend = new FakeSageMakerBackend({
    'fraud-detection': makeVersions('fraud-detection', 3),
  });
  server.use(...backend.handlers());
});

async function renderDialog(
  version: number,
  initialDecision: 'Approved' | 'Rejected',
) {
  const onDone = jest.fn();
  const onClose = jest.fn();
  await renderWithBackend(
    <ApprovalDialog
      version={summaryOf(backend.version('fraud-detection', version))}
      groupArn={groupArn('fraud-detection')}
      initialDecision={initialDecision}
      onClose={onClose}
      onDone={onDone}
    />,
    { entity: modelEntity() },
  );
  return { onDone, onClose };
}

describe('ApprovalDialog', () => {
  it('needs a comment to reject, before anything is sent', async () => {
    const { onDone } = await renderDialog(2, 'Rejected');
    expect(
      screen.getByRole('dialog', {
        name: 'Review version 2 of fraud-detection',
      }),
    ).toBeInTheDocument();
    const comment = screen.getByLabelText('Comment (required)');
    expect(comment).toHaveFocus();
    await userEvent.type(comment, '   ');
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    expect(
      screen.getByText('A comment is required to reject a version.'),
    ).toBeInTheDocument();
    expect(comment).toHaveAttribute('aria-invalid', 'true');
    expect(backend.requestsTo('POST', /approval$/)).toHaveLength(0);

    await userEvent.type(
      comment,
      'Drift on the holdout set{Control>}{Enter}{/Control}',
    );
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(backend.requestsTo('POST', /approval$/)).toHaveLength(1);
    expect(backend.requestsTo('POST', /approval$/)[0].body).toEqual({
      group: groupArn('fraud-detection'),
      status: 'Rejected',
      comment: 'Drift on the holdout set',
    });
    expect(onDone.mock.calls[0][0].version.approvalStatus).toBe('Rejected');
  });

  it('approves without a comment, and switching to Reject asks for one', async () => {
    const { onDone } = await renderDialog(2, 'Approved');
    expect(screen.getByLabelText('Comment (optional)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Reject' }));
    expect(screen.getByLabelText('Comment (required)')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'Approve' }));
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(backend.requestsTo('POST', /approval$/)[0].body).toEqual({
      group: groupArn('fraud-detection'),
      status: 'Approved',
    });
  });

  it("shows the backend's refusal and stays open", async () => {
    backend.fail({
      method: 'POST',
      path: /approval$/,
      status: 409,
      name: 'ConflictError',
      message: 'Version 3 is Approved now; reload to review it again',
    });
    const { onDone, onClose } = await renderDialog(3, 'Approved');
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(
      await screen.findByText(
        'Version 3 is Approved now; reload to review it again',
      ),
    ).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
  });

  it('offers only the decisions that change the status', async () => {
    await renderDialog(3, 'Approved');
    expect(screen.getByRole('radio', { name: 'Reject' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Approve' })).toBeEnabled();
  });

  it('closes on Escape without sending anything', async () => {
    const { onClose } = await renderDialog(2, 'Approved');
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
    expect(backend.requestsTo('POST', /approval$/)).toHaveLength(0);
  });
});

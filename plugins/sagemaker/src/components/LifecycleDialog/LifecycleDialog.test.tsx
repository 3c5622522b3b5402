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
import { LifecycleDialog } from './LifecycleDialog';

const server = setupServer();
registerMswTestHooks(server);

let backend: FakeSageMakerBackend;
beforeEach(() => {
  backend = new FakeSageMakerBackend({
    'fraud-detection': makeVersions('fraud-detection', 3),
  });
  server.use(...backend.handlers());
});

async function renderDialog(version: number) {
  const onDone = jest.fn();
  await renderWithBackend(
    <LifecycleDialog
      version={summaryOf(backend.version('fraud-detection', version))}
      groupArn={groupArn('fraud-detection')}
      onClose={jest.fn()}
      onDone={onDone}
    />,
    { entity: modelEntity() },
  );
  return { onDone };
}

describe('LifecycleDialog', () => {
  it('sets a configured stage and status from the keyboard, with a description', async () => {
    const version = backend.version('fraud-detection', 2);
    version.modelLifeCycle = undefined;
    const { onDone } = await renderDialog(2);
    expect(
      screen.getByRole('dialog', {
        name: 'Lifecycle stage of version 2 of fraud-detection',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/It has no lifecycle stage yet\./),
    ).toBeInTheDocument();

    const stage = await screen.findByLabelText('Stage');
    await userEvent.selectOptions(stage, 'PreProduction');
    await userEvent.selectOptions(
      screen.getByLabelText('Stage status'),
      'Approved',
    );
    await userEvent.type(
      screen.getByLabelText('Description (optional)'),
      'QA ok{Control>}{Enter}{/Control}',
    );

    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const [request] = backend.requestsTo('POST', /lifecycle$/);
    expect(request.path).toBe(
      '/entities/Component/default/fraud-detection/versions/2/lifecycle',
    );
    expect(request.body).toEqual({
      group: groupArn('fraud-detection'),
      stage: 'PreProduction',
      stageStatus: 'Approved',
      stageDescription: 'QA ok',
    });
    expect(onDone.mock.calls[0][0].event.comment).toBe(
      'Stage PreProduction, status Approved: QA ok',
    );
  });

  it('asks for a stage and a status before sending anything', async () => {
    backend.version('fraud-detection', 1).modelLifeCycle = undefined;
    await renderDialog(1);
    await screen.findByLabelText('Stage');
    await userEvent.click(screen.getByRole('button', { name: 'Set stage' }));
    expect(
      screen.getByText('Choose a stage and a status.'),
    ).toBeInTheDocument();
    expect(backend.requestsTo('POST', /lifecycle$/)).toHaveLength(0);
  });

  it("shows the backend's refusal, naming the permission", async () => {
    backend.fail({
      method: 'POST',
      path: /lifecycle$/,
      status: 403,
      name: 'NotAllowedError',
      message:
        'You are not allowed to set the lifecycle stage of versions of component:default/fraud-detection: ask its owners, or an admin for the sagemaker.model-version.lifecycle permission',
    });
    backend.version('fraud-detection', 1).modelLifeCycle = undefined;
    await renderDialog(1);
    await userEvent.selectOptions(await screen.findByLabelText('Stage'), 'QA');
    await userEvent.selectOptions(
      screen.getByLabelText('Stage status'),
      'OnHold',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Set stage' }));
    expect(
      await screen.findByText(/sagemaker\.model-version\.lifecycle permission/),
    ).toBeInTheDocument();
  });
});

import { render, screen } from '@testing-library/react';

describe('App', () => {
  const env = process.env;
  afterEach(() => {
    process.env = env;
  });

  it('opens on the sign-in page, where a guest can enter', async () => {
    process.env = {
      ...env,
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'SageMaker demo' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    // The app reads its config when the module loads: load it after the
    // environment is set.
    const { default: App } = await import('./App');
    render(<App />);

    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    // Loading the whole app (every plugin's modules) takes a while in jsdom,
    // much longer while other Jest workers share the cores.
  }, 60_000);
});

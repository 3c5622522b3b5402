import '@testing-library/jest-dom';

// Typing and clicking through MUI dialogs in jsdom takes seconds per test on
// a 2-core machine under load; Jest's 5 s default then cuts a test short, and
// its leftover keystrokes land in the next test.
jest.setTimeout(20_000);

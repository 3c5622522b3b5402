import { TextField, TextFieldProps } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';

/**
 * Props of {@link SuggestField}.
 */
export type SuggestFieldProps = Omit<TextFieldProps, 'onChange' | 'value'> & {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Values to pick from; anything else may still be typed. */
  suggestions: string[];
  /** How a suggestion reads in the list (the value is what is filled in). */
  describe?: (value: string) => string;
};

/**
 * A text field that suggests the values the history holds, filtered as the
 * user types, and still takes any typed value (a name alone, a new id).
 */
export const SuggestField = ({
  id,
  value,
  onChange,
  suggestions,
  describe,
  ...textFieldProps
}: SuggestFieldProps) => (
  <Autocomplete
    id={id}
    freeSolo
    options={suggestions}
    inputValue={value}
    onInputChange={(_event, text) => onChange(text)}
    getOptionLabel={option => option}
    renderOption={option => (describe ? describe(option) : option)}
    renderInput={params => (
      <TextField
        {...params}
        {...textFieldProps}
        InputLabelProps={{ ...params.InputLabelProps, shrink: true }}
      />
    )}
  />
);

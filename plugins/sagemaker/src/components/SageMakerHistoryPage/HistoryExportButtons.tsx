import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, CircularProgress, Typography } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { Alert } from '@material-ui/lab';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { HistoryExportFormat, sageMakerApiRef } from '../../api';
import { saveFile } from '../../utils/download';
import { errorMessage } from '../../utils/errors';
import {
  HistoryFilterValues,
  toHistoryFilter,
} from '../../utils/historyFilters';

/**
 * "Export CSV" and "Export JSON": every event matching the filters in
 * effect, as the backend streams it, saved under the backend's file name.
 */
export const HistoryExportButtons = ({
  filters,
}: {
  filters: HistoryFilterValues;
}) => {
  const api = useApi(sageMakerApiRef);
  const [state, exportAs] = useAsyncFn(
    async (format: HistoryExportFormat) => {
      const file = await api.exportHistory(toHistoryFilter(filters), format);
      saveFile(file);
      return file.filename;
    },
    [api, filters],
  );
  const button = (format: HistoryExportFormat, label: string) => (
    <Button
      variant="outlined"
      color="primary"
      startIcon={<GetAppIcon />}
      disabled={state.loading}
      onClick={() => exportAs(format)}
    >
      {label}
    </Button>
  );
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        {state.loading && <CircularProgress size={20} aria-label="Exporting" />}
        {button('csv', 'Export CSV')}
        {button('json', 'Export JSON')}
      </Box>
      <div role="status">
        {!state.loading && state.value && (
          <Typography variant="caption">Downloaded {state.value}</Typography>
        )}
      </div>
      {!state.loading && state.error && (
        <Alert severity="error">
          Could not export the history: {errorMessage(state.error)}
        </Alert>
      )}
    </Box>
  );
};

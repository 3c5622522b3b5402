import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  APPROVAL_COMMENT_MAX,
  ApprovalResponse,
  ModelVersionSummary,
} from '@internal/backstage-plugin-sagemaker-common';
import { FormEvent, useState } from 'react';
import { sageMakerApiRef } from '../../api';
import { useEntityCompoundRef } from '../../hooks/useEntityCompoundRef';
import { errorMessage } from '../../utils/errors';
import { approvalStatusPhrase } from '../../utils/labels';
import { useVersionWrite } from '../../hooks/useVersionWrite';

type Decision = 'Approved' | 'Rejected';

/**
 * Props of {@link ApprovalDialog}.
 */
export interface ApprovalDialogProps {
  version: ModelVersionSummary;
  groupArn: string;
  initialDecision: Decision;
  onClose: () => void;
  /** Called with the backend's answer once the decision is recorded. */
  onDone: (response: ApprovalResponse) => void;
  /** Called when the backend refused: a denial is recorded in the history too. */
  onRefused?: (error: Error) => void;
}

/**
 * Approves or rejects one version, with a comment (required to reject) that
 * is kept in the version's approval description and the history.
 */
export const ApprovalDialog = ({
  version,
  groupArn,
  initialDecision,
  onClose,
  onDone,
  onRefused,
}: ApprovalDialogProps) => {
  const api = useApi(sageMakerApiRef);
  const entityRef = useEntityCompoundRef();
  const [decision, setDecision] = useState<Decision>(initialDecision);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
  const write = useVersionWrite({ onDone, onRefused });
  const titleId = 'sagemaker-approval-dialog-title';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = comment.trim();
    if (decision === 'Rejected' && !trimmed) {
      setCommentError('A comment is required to reject a version.');
      return;
    }
    await write.run(
      () =>
        api.setApproval(entityRef, version.version, {
          group: groupArn,
          status: decision,
          comment: trimmed || undefined,
        }),
      response =>
        `Version ${version.version} is now ${approvalStatusPhrase(
          response.version.approvalStatus,
        )}.`,
    );
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          Review version {version.version} of {version.groupName}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            It is {approvalStatusPhrase(version.approvalStatus)} now. Your
            decision and comment are recorded in SageMaker and in this entity's
            history.
          </DialogContentText>
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Decision</FormLabel>
            <RadioGroup
              row
              name="decision"
              value={decision}
              onChange={event => {
                setDecision(event.target.value as Decision);
                setCommentError(undefined);
              }}
            >
              <FormControlLabel
                value="Approved"
                control={<Radio />}
                label="Approve"
                disabled={version.approvalStatus === 'Approved'}
              />
              <FormControlLabel
                value="Rejected"
                control={<Radio />}
                label="Reject"
                disabled={version.approvalStatus === 'Rejected'}
              />
            </RadioGroup>
          </FormControl>
          <TextField
            id="sagemaker-approval-comment"
            // eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog moves focus to its first field (WAI-ARIA dialog pattern)
            autoFocus
            fullWidth
            multiline
            minRows={3}
            variant="outlined"
            label={
              decision === 'Rejected'
                ? 'Comment (required)'
                : 'Comment (optional)'
            }
            value={comment}
            onChange={event => {
              setComment(event.target.value);
              setCommentError(undefined);
            }}
            onKeyDown={event => {
              // Enter writes a new line; Ctrl/Cmd+Enter submits.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                submit(event);
              }
            }}
            error={Boolean(commentError)}
            helperText={
              commentError ??
              `Why? Up to ${APPROVAL_COMMENT_MAX} characters; Ctrl+Enter submits.`
            }
            inputProps={{ maxLength: APPROVAL_COMMENT_MAX }}
          />
          {write.submitError && (
            <Alert severity="error" style={{ marginTop: 16 }}>
              {errorMessage(write.submitError)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={write.submitting}
          >
            {decision === 'Approved' ? 'Approve' : 'Reject'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

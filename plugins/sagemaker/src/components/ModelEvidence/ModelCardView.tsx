import { Chip, Typography, makeStyles } from '@material-ui/core';
import { ModelCardView as ModelCard } from '@internal/backstage-plugin-sagemaker-common';
import { LabelledRows } from './LabelledRows';

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  heading: { marginTop: theme.spacing(2) },
}));

/**
 * Props of {@link ModelCardView}.
 */
export interface ModelCardViewProps {
  card?: ModelCard;
}

/**
 * A version's model card: status and risk rating up front, then intended
 * uses, business details, training and evaluation, as labelled text.
 */
export const ModelCardView = ({ card }: ModelCardViewProps) => {
  const classes = useStyles();
  if (!card) {
    return (
      <Typography variant="body2" color="textSecondary">
        This version has no model card.
      </Typography>
    );
  }
  return (
    <>
      <div className={classes.chips}>
        {card.status && (
          <Chip size="small" label={`Card status: ${card.status}`} />
        )}
        {card.riskRating && (
          <Chip
            size="small"
            variant="outlined"
            label={`Risk rating: ${card.riskRating}`}
          />
        )}
      </div>
      {card.unreadable && (
        <Typography variant="body2" color="error" role="status">
          {card.unreadable}
        </Typography>
      )}
      {card.sections.map(section => (
        <div key={section.title}>
          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            {section.title}
          </Typography>
          <LabelledRows rows={section.fields} />
        </div>
      ))}
      {card.evaluations.map(evaluation => (
        <div key={evaluation.name}>
          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            Evaluation: {evaluation.name}
          </Typography>
          <LabelledRows
            rows={[
              ...evaluation.fields,
              ...evaluation.metrics.map(
                m =>
                  [`${m.name}${m.group ? ` (${m.group})` : ''}`, m.value] as [
                    string,
                    string,
                  ],
              ),
            ]}
          />
        </div>
      ))}
    </>
  );
};

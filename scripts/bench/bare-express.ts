// The ingest scenario's reference: express alone, parsing the same JSON body and answering the
// same 202, with no auth, database or queue. Prints "listening" once it accepts connections.
// Args: PORT.
import express from 'express';

const app = express();
app.use(express.json());
app.post('/api/v1/external/events', (_req, res) => {
  res.status(202).json({ success: true, data: { event_id: 'evt_01JD0SB3F0N8W2Q7H4M6K9T1XZ' } });
});
app.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('listening\n'));

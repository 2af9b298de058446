import postgres from "postgres";

/** The bench's quizzes: this many companies get one quiz each, of QUESTIONS questions with four answers. */
export const QUIZ_COMPANIES = 20;
export const QUESTIONS = 20;
/** How many seeded users are members of each quiz company (they submit the attempts). */
export const QUIZ_MEMBERS = 200;

export type QuizFixture = {
  companyId: string;
  quizId: string;
  answers: { question_id: string; answer_ids: string[] }[];
};

/**
 * One 20-question quiz (four answers each, the first correct) in each of the newest visible companies, and the first
 * seeded users as plain members of those companies (their owners excepted), in SQL.
 */
export async function seedQuizzes(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`
      with chosen as (
        select id from companies where is_visible order by created_at desc, id desc limit ${QUIZ_COMPANIES}
      ), quiz as (
        insert into quizzes (company_id, title, description)
        select id, 'Bench quiz', 'Twenty questions' from chosen returning id
      ), question as (
        insert into questions (quiz_id, title, "order")
        select quiz.id, 'Question ' || n, n from quiz, generate_series(0, ${QUESTIONS - 1}::int) as n returning id
      )
      insert into answers (question_id, text, is_correct, "order")
      select question.id, 'Answer ' || n, n = 0, n from question, generate_series(0, 3) as n`;
    await sql`
      with members as (select id from users order by email limit ${QUIZ_MEMBERS})
      insert into company_members (user_id, company_id)
      select members.id, quizzes.company_id
      from members, quizzes join companies on companies.id = quizzes.company_id
      where companies.owner_id <> members.id`;
    for (const table of ["quizzes", "questions", "answers", "company_members"])
      await sql.unsafe(`vacuum analyze ${table}`);
  } finally {
    await sql.end();
  }
}

/** Each quiz with an all-correct submission, and the users who may submit to every quiz. */
export async function loadQuizFixtures(url: string): Promise<{ quizzes: QuizFixture[]; memberIds: string[] }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ company_id: string; quiz_id: string; question_id: string; answer_id: string }[]>`
      select quizzes.company_id, quizzes.id as quiz_id, questions.id as question_id, answers.id as answer_id
      from quizzes join questions on questions.quiz_id = quizzes.id
      join answers on answers.question_id = questions.id and answers.is_correct
      order by quizzes.id, questions."order"`;
    const byQuiz = new Map<string, QuizFixture>();
    for (const row of rows) {
      const quiz = byQuiz.get(row.quiz_id) ?? { companyId: row.company_id, quizId: row.quiz_id, answers: [] };
      byQuiz.set(row.quiz_id, quiz);
      quiz.answers.push({ question_id: row.question_id, answer_ids: [row.answer_id] });
    }
    const members = await sql<{ user_id: string }[]>`
      select user_id from company_members group by user_id having count(*) = ${byQuiz.size} order by user_id`;
    return { quizzes: [...byQuiz.values()], memberIds: members.map((row) => row.user_id) };
  } finally {
    await sql.end();
  }
}

import type { Quiz, QuizForManager } from "./types.js";

/** True when the quiz was read as a manager, with the answer key: narrows it to `QuizForManager`. */
export function hasAnswerKey(quiz: Quiz): quiz is QuizForManager {
  return quiz.questions.some((question) => question.answers.some((answer) => "is_correct" in answer));
}

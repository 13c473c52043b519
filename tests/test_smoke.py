from tests.conftest import answer_all


def test_submitted_response_scores_every_competence(submitted):
    assert submitted.is_submitted
    assert submitted.competence_results.count() == 22
    assert set(submitted.area_results.values_list("level", flat=True)) == {4}


def test_result_page_shows_the_rose_and_pdf_downloads(teacher_client, submitted):
    page = teacher_client.get(f"/resultaat/{submitted.pk}/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    pdf = teacher_client.get(f"/resultaat/{submitted.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_answer_all_helper_answers_every_item(draft):
    answer_all(draft, level=0)
    assert draft.answers.count() == 30

/**
 * Folding Vietnamese text for search. Names arrive with tone marks on
 * different vowels ("Hóa" / "Hoá"), in NFC or NFD, with ' or ’, and with
 * đ/Đ, which is a letter of its own (no combining mark to strip). Folding
 * removes all of that so "thanh hoa" finds both spellings.
 *
 * @example foldSearchKey('Bệnh viện Bạch Mai') // 'benh vien bach mai'
 */
export function foldSearchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

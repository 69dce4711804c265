// Unit test of snn_round_sat: every input of small formats against round half up
// (floor((x + 2^(s-1)) / 2^s)) and saturation, computed here with 64-bit integers.
`timescale 1ns / 1ps
module tb_snn_round_sat;
    reg signed [9:0] x;
    wire signed [5:0] down, up, same;
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(3)) dut_down (.x(x), .y(down));
    snn_round_sat #(.IN_W(10), .OUT_W(6), .LSHIFT(2)) dut_up (.x(x), .y(up));
    snn_round_sat #(.IN_W(10), .OUT_W(6)) dut_same (.x(x), .y(same));
    // Shifts as wide as the input and wider (an update's −δ · 2^−k): only the rounding
    // constant can lift a value to 1.
    wire signed [5:0] wide10, wide11, wide14;
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(10)) dut_wide10 (.x(x), .y(wide10));
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(11)) dut_wide11 (.x(x), .y(wide11));
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(14)) dut_wide14 (.x(x), .y(wide14));
    // Rounding constant already added (ROUNDED = 1): only the shift and the saturation;
    // and a narrow output, whose range test spans eight bits of the shifted value.
    wire signed [5:0] prerounded;
    wire signed [2:0] narrow;
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(3), .ROUNDED(1)) dut_prerounded (.x(x), .y(prerounded));
    snn_round_sat #(.IN_W(10), .OUT_W(3), .SHIFT(1)) dut_narrow (.x(x), .y(narrow));
    // The value negated: rounded, exact, and scaled up.
    wire signed [5:0] neg_down, neg_same, neg_up;
    snn_round_sat #(.IN_W(10), .OUT_W(6), .SHIFT(3), .NEGATE(1)) dut_neg_down (.x(x), .y(neg_down));
    snn_round_sat #(.IN_W(10), .OUT_W(6), .NEGATE(1)) dut_neg_same (.x(x), .y(neg_same));
    snn_round_sat #(.IN_W(10), .OUT_W(6), .LSHIFT(2), .NEGATE(1)) dut_neg_up (.x(x), .y(neg_up));
    integer v, errors;
    function integer clamp3(input integer value);
        clamp3 = value > 3 ? 3 : value < -4 ? -4 : value;
    endfunction
    function integer clamp6(input integer value);
        clamp6 = value > 31 ? 31 : value < -32 ? -32 : value;
    endfunction
    function integer floor_div8(input integer value);
        // floor division by 8 without relying on shifts
        floor_div8 = value >= 0 ? value / 8 : -((-value + 7) / 8);
    endfunction
    initial begin
        errors = 0;
        for (v = -512; v < 512; v = v + 1) begin
            x = v;
            #1;
            if (down !== clamp6(floor_div8(v + 4))) begin
                errors = errors + 1;
                $display("FAIL round %0d: got %0d, want %0d", v, down, clamp6(floor_div8(v + 4)));
            end
            if (up !== clamp6(v * 4)) begin
                errors = errors + 1;
                $display("FAIL scale %0d: got %0d, want %0d", v, up, clamp6(v * 4));
            end
            // floor((v + 512) / 1024) over v in [-512, 512): 0 everywhere.
            if (wide10 !== 0 || wide11 !== 0 || wide14 !== 0) begin
                errors = errors + 1;
                $display("FAIL wide shift %0d: got %0d, %0d, %0d, want 0", v, wide10, wide11, wide14);
            end
            if (prerounded !== clamp6(floor_div8(v))) begin
                errors = errors + 1;
                $display("FAIL prerounded %0d: got %0d, want %0d", v, prerounded, clamp6(floor_div8(v)));
            end
            // floor((v + 1) / 2)
            if (narrow !== clamp3(v + 1 >= 0 ? (v + 1) / 2 : -((-(v + 1) + 1) / 2))) begin
                errors = errors + 1;
                $display("FAIL narrow %0d: got %0d", v, narrow);
            end
            if (neg_down !== clamp6(floor_div8(-v + 4)) || neg_same !== clamp6(-v) || neg_up !== clamp6(-v * 4)) begin
                errors = errors + 1;
                $display("FAIL negate %0d: got %0d, %0d, %0d", v, neg_down, neg_same, neg_up);
            end
            if (same !== clamp6(v)) begin
                errors = errors + 1;
                $display("FAIL saturate %0d: got %0d", v, same);
            end
        end
        // Ties go up: -2.5 -> -2, 2.5 -> 3 (in units of 8).
        x = -20; #1; if (down !== -2) begin errors = errors + 1; $display("FAIL tie -2.5"); end
        x = 20; #1; if (down !== 3) begin errors = errors + 1; $display("FAIL tie 2.5"); end
        if (errors == 0) $display("PASS snn_round_sat");
        $finish;
    end
endmodule
